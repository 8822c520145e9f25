//! PDF text extraction in a child process (`faro extract-text`) with
//! limits: address space (`FARO_PDF_MEMORY_MB`, default 512), CPU time
//! and wall-clock time (`FARO_PDF_SECONDS`, default 20). A parser that
//! blows up (a decompression bomb the inflate count did not catch, a
//! pathological file) is stopped there; the upload goes on without text.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn limit(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|v| *v > 0)
        .unwrap_or(default)
}

/// The `faro extract-text` side: a PDF on standard input, its text on
/// standard output (nothing when it has none).
pub fn child_main() -> std::process::ExitCode {
    let mut bytes = Vec::new();
    if std::io::stdin()
        .take(256 << 20)
        .read_to_end(&mut bytes)
        .is_err()
    {
        return std::process::ExitCode::FAILURE;
    }
    match faro_formats::pdf::text_in_process(&bytes) {
        Some(t) => {
            let _ = std::io::stdout().write_all(t.as_bytes());
            std::process::ExitCode::SUCCESS
        }
        None => std::process::ExitCode::from(3),
    }
}

/// The server side: runs this binary's `extract-text` under the limits.
pub fn in_child(bytes: &[u8]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let memory = limit("FARO_PDF_MEMORY_MB", 512) << 20;
    let seconds = limit("FARO_PDF_SECONDS", 20);
    let mut cmd = Command::new(exe);
    cmd.arg("extract-text")
        .env("FARO_LOG", "error")
        // mimalloc would reserve a large arena up front; under the address
        // space limit it must not.
        .env("MIMALLOC_ARENA_RESERVE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls (setrlimit) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                let as_limit = libc::rlimit {
                    rlim_cur: memory as libc::rlim_t,
                    rlim_max: memory as libc::rlim_t,
                };
                let cpu = libc::rlimit {
                    rlim_cur: seconds as libc::rlim_t,
                    rlim_max: seconds as libc::rlim_t + 1,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &as_limit) != 0
                    || libc::setrlimit(libc::RLIMIT_CPU, &cpu) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "cannot start the PDF text extractor");
            return None;
        }
    };
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        // At most four bytes a character of the text kept.
        let _ = (&mut stdout)
            .take((faro_formats::pdf::MAX_CHARS * 4) as u64)
            .read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(seconds + 5);
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    match status {
        Some(s) if s.success() => {
            let t = String::from_utf8_lossy(&out).into_owned();
            (!t.is_empty()).then_some(t)
        }
        Some(s) if s.code() == Some(3) => None,
        other => {
            tracing::warn!(
                status = ?other,
                memory_mb = memory >> 20,
                seconds,
                "PDF text extraction stopped at its limits; the file is kept without text"
            );
            None
        }
    }
}
