//! The sink capability: writing data out to an external system.
//!
//! ```
//! use floe_interfaces::sink::SinkConfig;
//! let err = SinkConfig::new("rest_api").with_batch_size(0).unwrap_err();
//! assert_eq!(err.to_string(), "batch_size must be >= 1, got 0");
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The most keys a sink's `connection_config` may have.
pub const MAX_CONNECTION_KEYS: usize = 50;
/// The largest batch.
pub const MAX_BATCH_SIZE: u64 = 100_000;

/// A broken sink config rule, in floe's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SinkConfigError {
    /// `sink_type` is blank.
    #[error("sink_type must be a non-empty string")]
    BlankType,
    /// Too many connection keys.
    #[error("connection_config has {0} keys, max 50")]
    TooManyKeys(usize),
    /// A mapped destination is not an identifier.
    #[error(
        "field_mapping destination '{destination}' for source '{source_field}' must be a valid identifier (alphanumeric + underscore)"
    )]
    BadDestination {
        /// The source field.
        source_field: String,
        /// The destination written.
        destination: String,
    },
    /// The batch is empty.
    #[error("batch_size must be >= 1, got {0}")]
    BatchTooSmall(u64),
    /// The batch is too big.
    #[error("batch_size must be <= 100_000, got {0}")]
    BatchTooLarge(u64),
}

/// Where and how to write; valid by construction (every setter checks its rule).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SinkConfig {
    sink_type: String,
    #[serde(default)]
    connection_config: Map<String, Value>,
    #[serde(default)]
    field_mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    retry_config: Option<Map<String, Value>>,
    #[serde(default)]
    batch_size: Option<u64>,
}

impl SinkConfig {
    /// A config for `sink_type`; a blank type is refused by [`SinkConfig::try_new`].
    pub fn new(sink_type: impl Into<String>) -> Self {
        SinkConfig {
            sink_type: sink_type.into(),
            connection_config: Map::new(),
            field_mapping: None,
            retry_config: None,
            batch_size: None,
        }
    }

    /// A config for `sink_type`, refusing a blank one.
    pub fn try_new(sink_type: impl Into<String>) -> Result<Self, SinkConfigError> {
        let config = Self::new(sink_type);
        config.validate()?;
        Ok(config)
    }

    /// With connection settings (at most 50 keys).
    pub fn with_connection_config(
        mut self,
        config: Map<String, Value>,
    ) -> Result<Self, SinkConfigError> {
        self.connection_config = config;
        self.validate().map(|()| self)
    }

    /// With a source -> destination mapping (destinations are identifiers).
    pub fn with_field_mapping(
        mut self,
        mapping: BTreeMap<String, String>,
    ) -> Result<Self, SinkConfigError> {
        self.field_mapping = Some(mapping);
        self.validate().map(|()| self)
    }

    /// With retry settings.
    pub fn with_retry_config(mut self, retry: Map<String, Value>) -> Self {
        self.retry_config = Some(retry);
        self
    }

    /// With a batch size, 1 to 100,000.
    pub fn with_batch_size(mut self, size: u64) -> Result<Self, SinkConfigError> {
        self.batch_size = Some(size);
        self.validate().map(|()| self)
    }

    /// Every rule, first broken one reported (for a config read with serde).
    pub fn validate(&self) -> Result<(), SinkConfigError> {
        if self.sink_type.trim().is_empty() {
            return Err(SinkConfigError::BlankType);
        }
        if self.connection_config.len() > MAX_CONNECTION_KEYS {
            return Err(SinkConfigError::TooManyKeys(self.connection_config.len()));
        }
        for (source, destination) in self.field_mapping.iter().flatten() {
            let identifier = !destination.is_empty()
                && !destination.starts_with(|c: char| c.is_ascii_digit())
                && destination.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !identifier {
                return Err(SinkConfigError::BadDestination {
                    source_field: source.clone(),
                    destination: destination.clone(),
                });
            }
        }
        match self.batch_size {
            Some(0) => Err(SinkConfigError::BatchTooSmall(0)),
            Some(n) if n > MAX_BATCH_SIZE => Err(SinkConfigError::BatchTooLarge(n)),
            _ => Ok(()),
        }
    }

    /// The sink type.
    pub fn sink_type(&self) -> &str {
        &self.sink_type
    }
    /// The connection settings.
    pub fn connection_config(&self) -> &Map<String, Value> {
        &self.connection_config
    }
    /// The field mapping.
    pub fn field_mapping(&self) -> Option<&BTreeMap<String, String>> {
        self.field_mapping.as_ref()
    }
    /// The retry settings.
    pub fn retry_config(&self) -> Option<&Map<String, Value>> {
        self.retry_config.as_ref()
    }
    /// The batch size.
    pub fn batch_size(&self) -> Option<u64> {
        self.batch_size
    }
}

/// What a write delivered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EgressResult {
    /// Whether it succeeded.
    pub success: bool,
    /// Rows delivered.
    #[serde(default)]
    pub rows_delivered: u64,
    /// Bytes sent.
    #[serde(default)]
    pub bytes_transmitted: u64,
    /// How long it took.
    #[serde(default)]
    pub duration_seconds: f64,
    /// A checksum of what was sent.
    #[serde(default)]
    pub checksum: String,
    /// When (RFC 3339).
    #[serde(default)]
    pub delivery_timestamp: String,
    /// The idempotency key used.
    #[serde(default)]
    pub idempotency_key: String,
    /// Ids the destination gave the records.
    #[serde(default)]
    pub destination_record_ids: Vec<String>,
    /// What went wrong.
    #[serde(default)]
    pub errors: Vec<String>,
}
