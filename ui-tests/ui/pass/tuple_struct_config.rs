use floe_registry::prelude::*;

#[derive(serde::Deserialize, JsonSchema)]
struct VaultConfig {
    address: String,
}

#[floe_plugin(type = Secrets, name = "vault", version = "1.0.0", config = VaultConfig)]
#[derive(Default)]
struct Vault(u8, #[config] ConfigCell<VaultConfig>);

impl SecretsPlugin for Vault {}

fn main() -> Result<(), PluginError> {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry.configure(
        PluginType::Secrets,
        "vault",
        floe_registry::serde_json::json!({"address": "https://vault:8200"}),
    )?;
    let vault = registry.get_as::<dyn SecretsPlugin>("vault")?;
    assert_eq!(vault.name(), "vault");
    Ok(())
}
