//! Writing a whole `profiles.yml`: the profile named in `dbt_project.yml`, its default
//! target, and that target's output.

use std::path::{Path, PathBuf};

use floe_registry::PluginError;
use serde_json::{Map, Value, json};

use super::yaml_lookup;

/// The profile name of a project: `profile:` in `P/dbt_project.yml`.
pub fn profile_name(project_dir: &Path) -> Result<String, PluginError> {
    let file = project_dir.join("dbt_project.yml");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        PluginError::failed(format!(
            "cannot read {}: {e}; the profile name comes from its `profile:` key",
            file.display()
        ))
    })?;
    yaml_lookup::scalar(&text, &["profile"])
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            PluginError::failed(format!(
                "{} has no `profile:` key: add `profile: <name>` so dbt knows which profile to use",
                file.display()
            ))
        })
}

/// The document `{<profile>: {target: <target>, outputs: {<target>: <output>}}}`.
pub fn profiles_document(profile: &str, target: &str, output: &Value) -> Value {
    let mut outputs = Map::new();
    outputs.insert(target.to_owned(), output.clone());
    json!({ profile: { "target": target, "outputs": outputs } })
}

/// Writes `Q/profiles.yml` for the project in `P` (creating `Q`); returns its path.
pub fn write_profiles(
    project_dir: &Path,
    profiles_dir: &Path,
    target: &str,
    output: &Value,
) -> Result<PathBuf, PluginError> {
    if target.is_empty() {
        return Err(PluginError::failed(
            "the dbt target name is empty: name it (for example 'dev')",
        ));
    }
    if !output.is_object() {
        return Err(PluginError::failed(
            "a dbt output must be an object (a compute plugin's profile target)",
        ));
    }
    let profile = profile_name(project_dir)?;
    let document = profiles_document(&profile, target, output);
    let yaml = serde_saphyr::to_string(&document)
        .map_err(|e| PluginError::failed(format!("the profile cannot be written as YAML: {e}")))?;
    std::fs::create_dir_all(profiles_dir).map_err(|e| {
        crate::error::failure(
            format!(
                "cannot create the profiles directory {}",
                profiles_dir.display()
            ),
            e,
        )
    })?;
    let path = profiles_dir.join("profiles.yml");
    std::fs::write(&path, yaml)
        .map_err(|e| crate::error::failure(format!("cannot write {}", path.display()), e))?;
    Ok(path)
}
