//! moto's server on 127.0.0.1 serving S3, STS and Glue with IAM authentication on, for
//! every test that needs an AWS-compatible server (`minio`, `aws-s3`, `glue`,
//! `s3_object_store`, `dlt_real`), so wrong credentials are refused as AWS refuses them: a user with an access key allowed
//! everything, a role a web identity may assume, and the buckets asked for. It is
//! killed when the handle is dropped, also when a test fails.
//!
//! moto authenticates every action once `INITIAL_NO_AUTH_ACTION_COUNT` actions have
//! run; the setup's six (five IAM calls and the bucket) run before. moto also wants
//! STS's `AssumeRoleWithWebIdentity` signed, which AWS does not: a server started with
//! [`MotoServer::start_for_web_identity`] leaves the first action after the setup
//! unauthenticated, for that one unsigned call.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::venv::python_env;

/// How long the server may take to accept connections before the test fails.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// The actions of [`SETUP`], all let through before authentication starts.
const SETUP_ACTIONS: u32 = 6;

const SETUP: &str = r#"import boto3, json, sys
ep, buckets = sys.argv[1], sys.argv[2:]
kw = dict(endpoint_url=ep, region_name="us-east-1")
iam = boto3.client("iam", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap", **kw)
iam.create_user(UserName="floe")
key = iam.create_access_key(UserName="floe")["AccessKey"]
allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
iam.put_user_policy(UserName="floe", PolicyName="all", PolicyDocument=json.dumps(allow))
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}
role = iam.create_role(RoleName="floe-irsa", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
iam.put_role_policy(RoleName="floe-irsa", PolicyName="all", PolicyDocument=json.dumps(allow))
s3 = boto3.client("s3", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **kw)
s3.create_bucket(Bucket=buckets[0])
print(json.dumps({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"], "role_arn": role["Arn"]}))
"#;

/// A running moto server.
pub struct MotoServer {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The bucket created at start.
    pub bucket: String,
    /// A valid access key id (of user `floe`, allowed everything).
    pub access_key_id: String,
    /// Its secret.
    pub secret_access_key: String,
    /// The role a web identity may assume (allowed everything).
    pub role_arn: String,
}

impl MotoServer {
    /// Starts the server on a free loopback port and creates `bucket`.
    pub fn start(bucket: &str) -> MotoServer {
        Self::launch(bucket, SETUP_ACTIONS)
    }

    /// As [`MotoServer::start`], with the first action after the setup let through
    /// unauthenticated: for one unsigned `AssumeRoleWithWebIdentity`.
    pub fn start_for_web_identity(bucket: &str) -> MotoServer {
        Self::launch(bucket, SETUP_ACTIONS + 1)
    }

    fn launch(bucket: &str, free_actions: u32) -> MotoServer {
        let env = python_env();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(env.bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("INITIAL_NO_AUTH_ACTION_COUNT", free_actions.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let mut server = MotoServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: bucket.to_owned(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            role_arn: String::new(),
        };
        let began = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("moto_server exited before accepting connections: {status}");
            }
            assert!(
                began.elapsed() < START_DEADLINE,
                "moto_server did not accept connections on port {port} within {START_DEADLINE:?}"
            );
            thread::sleep(Duration::from_millis(100));
        }
        let keys: Value =
            serde_json::from_str(env.run_python(SETUP, &[&server.endpoint, bucket]).trim())
                .expect("the setup prints the access key");
        server.access_key_id = keys["access_key_id"].as_str().unwrap().to_owned();
        server.secret_access_key = keys["secret_access_key"].as_str().unwrap().to_owned();
        server.role_arn = keys["role_arn"].as_str().unwrap().to_owned();
        server
    }

    /// Runs `code` with boto3 against the server as user `floe`: `python -c code
    /// <endpoint> <access key id> <secret>`; returns its standard output.
    pub fn boto3(&self, code: &str) -> String {
        python_env().run_python(
            code,
            &[&self.endpoint, &self.access_key_id, &self.secret_access_key],
        )
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
