//! Embeds every file of `migrations/postgres/` (`<version>_<name>.sql`, applied in version
//! order) as the PostgreSQL store's migration list, so a new migration file needs no code.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One migration file: its version, name and absolute path.
struct Migration {
    version: i64,
    name: String,
    path: PathBuf,
}

/// `0002_jobs.sql` → (2, `jobs`).
fn parse_name(file: &str) -> Option<(i64, String)> {
    let stem = file.strip_suffix(".sql")?;
    let (version, name) = stem.split_once('_')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() {
        return None;
    }
    Some((version.parse().ok()?, name.to_string()))
}

fn migrations(dir: &Path) -> Result<Vec<Migration>, Box<dyn Error>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        if !file.ends_with(".sql") {
            continue;
        }
        let (version, name) = parse_name(file)
            .ok_or_else(|| format!("{}: expected <version>_<name>.sql", path.display()))?;
        out.push(Migration {
            version,
            name,
            path: path.canonicalize()?,
        });
    }
    out.sort_by_key(|m| m.version);
    for pair in out.windows(2) {
        if pair[0].version == pair[1].version {
            return Err(format!(
                "two PostgreSQL migrations with version {}: {} and {}",
                pair[0].version,
                pair[0].path.display(),
                pair[1].path.display()
            )
            .into());
        }
    }
    if out.is_empty() {
        return Err(format!("no migrations in {}", dir.display()).into());
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("migrations").join("postgres");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut code = String::from(
        "/// The PostgreSQL migrations, in order: (version, name, SQL).\npub const MIGRATIONS: &[(i64, &str, &str)] = &[\n",
    );
    for m in migrations(&dir)? {
        writeln!(
            code,
            "    ({}, {:?}, include_str!({:?})),",
            m.version,
            m.name,
            m.path.display().to_string()
        )?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("postgres_migrations.rs");
    std::fs::write(out, code)?;
    Ok(())
}
