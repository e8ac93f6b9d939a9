//! An S3-compatible server on 127.0.0.1: moto's server from the pinned environment,
//! with IAM authentication on, so wrong credentials are refused as S3 refuses them.
//! It is killed when the handle is dropped, also when a test fails.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::venv::python_env;

/// How long the server may take to accept connections before the test fails.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// Creates a user with an access key allowed everything, then the bucket with it.
/// moto serves the first three requests without authentication (the IAM calls).
const SETUP: &str = r#"import boto3, json, sys
ep, bucket = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=ep, region_name="us-east-1")
iam = boto3.client("iam", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap", **kw)
iam.create_user(UserName="floe")
key = iam.create_access_key(UserName="floe")["AccessKey"]
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
iam.put_user_policy(UserName="floe", PolicyName="all", PolicyDocument=json.dumps(policy))
s3 = boto3.client("s3", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], **kw)
s3.create_bucket(Bucket=bucket)
print(json.dumps({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}))
"#;

/// A running server with one bucket and a valid access key.
pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    /// The bucket created at start.
    pub bucket: String,
    /// A valid access key id.
    pub access_key_id: String,
    /// Its secret.
    pub secret_access_key: String,
}

impl S3Server {
    /// Starts the server on a free loopback port and creates `bucket`.
    pub fn start(bucket: &str) -> S3Server {
        let env = python_env();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new(env.bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("INITIAL_NO_AUTH_ACTION_COUNT", "3")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let mut server = S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            bucket: bucket.to_owned(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
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
        server
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
