use floe_registry::prelude::*;

/// Local or remote files.
#[floe_plugin(type = Storage, name = "files", version = "0.3.0")]
#[derive(Default)]
enum Files {
    #[default]
    Local,
    Remote {
        endpoint: String,
    },
}

impl StoragePlugin for Files {
    fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
        Ok(match self {
            Files::Local => format!("file:///warehouse/{namespace}"),
            Files::Remote { endpoint } => format!("{endpoint}/{namespace}"),
        })
    }
}

fn main() {
    assert_eq!(Files::default().name(), "files");
    assert_eq!(Files::default().description(), "Local or remote files.");
    let remote = Files::Remote {
        endpoint: "s3://lake".to_owned(),
    };
    assert_eq!(remote.get_warehouse_uri("raw").unwrap(), "s3://lake/raw");
}
