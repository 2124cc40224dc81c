//! `credential_process`: an external command that prints credentials as
//! JSON on its standard output.

use super::json::{parse_credentials, Format};
use super::{Credentials, CredentialsError};
use std::process::{Command, Output, Stdio};

/// How much of the process's standard error an error message keeps.
const STDERR_LIMIT: usize = 1024;

/// Runs `command` through the shell and parses what it prints.
///
/// Errors name `profile` and never include the command line (it may carry
/// a password) or the standard output (it holds the secret when the JSON
/// is merely malformed).
pub(crate) async fn run(profile: &str, command: &str) -> Result<Credentials, CredentialsError> {
    let error = |message: String| {
        CredentialsError::new(format!(
            "credential_process of profile `{profile}`: {message}"
        ))
    };
    let output = spawn_and_wait(command).await.map_err(&error)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut stderr = stderr.trim();
        if stderr.len() > STDERR_LIMIT {
            let mut end = STDERR_LIMIT;
            while !stderr.is_char_boundary(end) {
                end -= 1;
            }
            stderr = &stderr[..end];
        }
        let status = output.status;
        return Err(if stderr.is_empty() {
            error(format!(
                "the process failed ({status}) with no output on stderr"
            ))
        } else {
            error(format!("the process failed ({status}): {stderr}"))
        });
    }
    parse_credentials(&output.stdout, Format::Process).map_err(error)
}

/// Runs the command on a thread of its own, so that waiting for it blocks
/// no executor thread, and hands the output back through a channel.
async fn spawn_and_wait(command: &str) -> Result<Output, String> {
    let mut shell = shell_command(command);
    shell
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("opgen-credential-process".to_owned())
        .spawn(move || {
            // The receiver may be gone (the caller timed out); the result
            // is then dropped.
            let _ = sender.send(shell.output());
        })
        .map_err(|e| format!("failed to start a thread for the process: {e}"))?;
    match receiver.await {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(e)) => Err(format!("failed to run the process: {e}")),
        Err(_closed) => Err("the process runner stopped without a result".to_owned()),
    }
}

#[cfg(windows)]
fn shell_command(command: &str) -> Command {
    let mut shell = Command::new("cmd.exe");
    shell.arg("/C").arg(command);
    shell
}

#[cfg(not(windows))]
fn shell_command(command: &str) -> Command {
    let mut shell = Command::new("sh");
    shell.arg("-c").arg(command);
    shell
}
