//! `kargojet-server`: reads the command line, environment and TOML file, starts the server,
//! prints the demo API key and a `curl` line, and shuts down gracefully on Ctrl-C or SIGTERM.

use kargojet_server::config::{Action, Config, HELP};
use std::collections::HashMap;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a request allocates many small buffers on one
/// worker thread and frees them on another, which glibc malloc serialises.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn terminated() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn curl_line(base: &str, key: &str) -> String {
    let body = r#"{"shipment":{"sender":{"name":"Moda Tekstil Ltd.","phone":"0216 345 67 89","address":{"province":"İstanbul","district":"Kadıköy","line":"Caferağa Mah. Moda Cad. No: 12"}},"recipient":{"name":"Ayşe Yılmaz","phone":"0532 123 45 67","address":{"province":"Ankara","district":"Çankaya","line":"Kızılay Mah. Atatürk Blv. No: 101"}},"parcels":[{"length_cm":40,"width_cm":30,"height_cm":20,"weight_kg":3.2}],"cod_amount":"750.00"}}"#;
    format!(
        "curl -s {base}/v1/quotes -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' -d '{body}'"
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env: HashMap<String, String> = std::env::vars().collect();
    let config = match Config::load(&args, env) {
        Ok(Action::Run(c)) => *c,
        Ok(Action::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Action::Version) => {
            println!("kargojet-server {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("kargojet-server: {e}");
            return ExitCode::from(2);
        }
    };
    kargojet_server::logging::init(&config);
    let server = match kargojet_server::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kargojet-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = server.base_url();
    println!("KargoJet server on {base} — docs {base}/docs, OpenAPI {base}/openapi.json");
    println!(
        "NOTE: the sandbox carriers run in-process; tariffs are ILLUSTRATIVE, not real prices."
    );
    if let Some(demo) = server.seeded.first() {
        println!("demo api key: {}", demo.api_key);
        println!("{}", curl_line(&base, &demo.api_key));
    }
    terminated().await;
    eprintln!("kargojet-server: shutting down (finishing in-flight requests)");
    match server.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kargojet-server: {e}");
            ExitCode::FAILURE
        }
    }
}
