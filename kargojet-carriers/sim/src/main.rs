//! `kargojet-sim`: see `kargojet-sim --help` and the crate docs.

use kargojet_sim::run::{Action, HELP, Options};
use std::collections::HashMap;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env: HashMap<String, String> = std::env::vars().collect();
    let options = match Options::parse(&args, &env) {
        Ok(Action::Help) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Ok(Action::Run(o)) => o,
        Err(e) => {
            eprintln!("kargojet-sim: {e} ({})", e.code());
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kargojet-sim: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    rt.block_on(serve(options))
}

async fn serve(options: Options) -> ExitCode {
    let running = match kargojet_sim::start(&options).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kargojet-sim: {e} ({})", e.code());
            return ExitCode::FAILURE;
        }
    };
    match serde_json::to_string(&running.urls) {
        Ok(line) => println!("{line}"),
        Err(e) => {
            eprintln!("kargojet-sim: {e}");
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "kargojet-sim: {} carriers up, {} journalled requests replayed; admin on {}",
        running.urls.carriers.len(),
        running.replayed,
        running.urls.admin
    );
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kargojet-sim: cannot watch SIGTERM: {e}");
            return ExitCode::FAILURE;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    let code = match running.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kargojet-sim: {e} ({})", e.code());
            ExitCode::FAILURE
        }
    };
    drop(running);
    eprintln!("kargojet-sim: stopped");
    code
}
