//! The configuration of the `jaeger` plugin.

use floe_registry::prelude::JsonSchema;
use floe_registry::{floe_config, schemars};
use serde::{Deserialize, Serialize};

/// The endpoint used when neither the config nor `OTEL_EXPORTER_OTLP_ENDPOINT` gives one.
pub const DEFAULT_ENDPOINT: &str = "jaeger-collector:4317";

/// Where the OTLP exporters send telemetry: the Jaeger collector.
///
/// Every field is optional; unset fields fall back to the standard OpenTelemetry
/// environment variables, then to the in-cluster defaults.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JaegerConfig {
    /// The collector's OTLP endpoint: `host:port` or a URL such as
    /// `http://jaeger-collector:4317/`. Unset: `$OTEL_EXPORTER_OTLP_ENDPOINT`, else
    /// `jaeger-collector:4317`.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub endpoint: Option<String>,
    /// Send without TLS. Unset: whether `$OTEL_EXPORTER_OTLP_INSECURE` is `true`
    /// (case-insensitive, default `true`).
    #[serde(default)]
    pub insecure: Option<bool>,
    /// The OTLP protocol the collector speaks on that endpoint.
    #[serde(default)]
    pub protocol: OtlpProtocol,
    /// How long `validate_connection` waits for the TCP connection, in seconds.
    #[serde(default = "default_connect_timeout")]
    #[schemars(range(min = 0.1, max = 60.0))]
    pub connect_timeout_seconds: f64,
}

impl Default for JaegerConfig {
    fn default() -> Self {
        Self {
            endpoint: None,
            insecure: None,
            protocol: OtlpProtocol::default(),
            connect_timeout_seconds: default_connect_timeout(),
        }
    }
}

fn default_connect_timeout() -> f64 {
    5.0
}

/// An OTLP transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OtlpProtocol {
    /// OTLP over gRPC (collector port 4317).
    #[default]
    #[serde(rename = "grpc")]
    Grpc,
    /// OTLP over HTTP with protobuf bodies (collector port 4318).
    #[serde(rename = "http/protobuf")]
    HttpProtobuf,
}

impl OtlpProtocol {
    /// The name OpenTelemetry uses (`grpc`, `http/protobuf`).
    pub fn as_str(self) -> &'static str {
        match self {
            OtlpProtocol::Grpc => "grpc",
            OtlpProtocol::HttpProtobuf => "http/protobuf",
        }
    }

    /// The collector's standard port for this protocol.
    pub fn default_port(self) -> u16 {
        match self {
            OtlpProtocol::Grpc => 4317,
            OtlpProtocol::HttpProtobuf => 4318,
        }
    }
}

impl JsonSchema for OtlpProtocol {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OtlpProtocol".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": ["grpc", "http/protobuf"] })
    }
}
