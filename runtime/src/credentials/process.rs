//! `credential_process`: an external command that prints credentials as
//! JSON on its standard output.

use super::json::{parse_credentials, Format};
use super::{Credentials, CredentialsError};
use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How much of the process's standard error an error message keeps.
const STDERR_LIMIT: usize = 1024;

/// How much a process may print on its standard output: the credentials
/// JSON is well under 2 KiB, so more is a process gone wrong, and reading
/// on would only fill memory.
const STDOUT_CAP: usize = 64 * 1024;

/// How much of the standard error is read; the pipe is closed after it
/// (a process still writing then gets `EPIPE`), and only
/// [`STDERR_LIMIT`] of it reaches the message anyway.
const STDERR_CAP: usize = 64 * 1024;

/// How often the runner looks whether the process has exited once its
/// pipes are closed: std has no wait with a timeout.
const EXIT_POLL: Duration = Duration::from_millis(5);

/// Runs `command` through the shell and parses what it prints, killing the
/// process if it runs longer than `timeout` or prints more than 64 KiB.
///
/// Errors name `profile` and never include the command line (it may carry
/// a password) or the standard output (it holds the secret when the JSON
/// is merely malformed).
pub(crate) async fn run(
    profile: &str,
    command: &str,
    timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let error = |message: String| {
        CredentialsError::new(format!(
            "credential_process of profile `{profile}`: {message}"
        ))
    };
    let output = spawn_and_wait(command, timeout).await.map_err(&error)?;
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

/// What a process that exited left behind.
struct Output {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the command on a thread of its own, so that waiting for it blocks
/// no executor thread, and hands the output back through a channel. The
/// thread enforces `timeout` itself, so the process is killed even when
/// the caller has stopped waiting (e.g. at the operation timeout).
async fn spawn_and_wait(command: &str, timeout: Duration) -> Result<Output, String> {
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
            let _ = sender.send(run_bounded(shell, timeout));
        })
        .map_err(|e| format!("failed to start a thread for the process: {e}"))?;
    // Bounded: the thread answers by `timeout`, plus the time to kill.
    match receiver.await {
        Ok(result) => result,
        Err(_closed) => Err("the process runner stopped without a result".to_owned()),
    }
}

/// Which pipe a reader thread read.
enum Pipe {
    Stdout,
    Stderr,
}

/// Runs `shell` until it exits, `timeout` passes or it prints more than
/// [`STDOUT_CAP`]; in the last two cases the process is killed and reaped.
fn run_bounded(mut shell: Command, timeout: Duration) -> Result<Output, String> {
    let deadline = Instant::now() + timeout;
    let mut child = shell
        .spawn()
        .map_err(|e| format!("failed to run the process: {e}"))?;
    let result = wait_bounded(&mut child, deadline, timeout);
    if result.is_err() {
        kill_and_reap(&mut child);
    }
    result
}

/// Collects the output of `child` and waits for it to exit, until
/// `deadline`; an `Err` leaves the process to be killed by the caller.
fn wait_bounded(child: &mut Child, deadline: Instant, timeout: Duration) -> Result<Output, String> {
    let timed_out = || format!("timed out after {timeout:?}; the process was killed");
    // Each pipe is read on a thread of its own so that neither fills up
    // and blocks the process while the other is read.
    let (sender, receiver) = mpsc::channel();
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err("the process has no output pipe".to_owned());
    };
    read_on_a_thread(Pipe::Stdout, out, STDOUT_CAP, sender.clone())?;
    read_on_a_thread(Pipe::Stderr, err, STDERR_CAP, sender)?;

    let (mut stdout, mut stderr) = (None, None);
    while stdout.is_none() || stderr.is_none() {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let (pipe, read) = match receiver.recv_timeout(remaining) {
            Ok(message) => message,
            Err(mpsc::RecvTimeoutError::Timeout) => return Err(timed_out()),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err("the output reader stopped without a result".to_owned())
            }
        };
        let read = read.map_err(|e| format!("failed to read the process's output: {e}"))?;
        match pipe {
            Pipe::Stdout if read.len() > STDOUT_CAP => {
                return Err(format!(
                    "the process printed more than {STDOUT_CAP} bytes; it was killed"
                ))
            }
            Pipe::Stdout => stdout = Some(read),
            Pipe::Stderr => stderr = Some(read),
        }
    }
    // Both pipes are closed, which a process does as it exits; one that
    // closes them and runs on is still held to the deadline.
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Ok(Output {
                    status,
                    stdout: stdout.unwrap_or_default(),
                    stderr: stderr.unwrap_or_default(),
                })
            }
            Ok(None) if Instant::now() >= deadline => return Err(timed_out()),
            Ok(None) => std::thread::sleep(EXIT_POLL),
            Err(e) => return Err(format!("failed to wait for the process: {e}")),
        }
    }
}

/// Reads `reader` up to one byte past `cap` (to tell "exactly the cap"
/// from "more") on a thread of its own, and sends what it read.
///
/// The thread is not joined: a process the command started in the
/// background may hold the pipe open after the command is killed; the
/// thread then ends when that process closes it, holding at most `cap`
/// bytes meanwhile.
fn read_on_a_thread(
    pipe: Pipe,
    reader: impl Read + Send + 'static,
    cap: usize,
    sender: mpsc::Sender<(Pipe, std::io::Result<Vec<u8>>)>,
) -> Result<(), String> {
    std::thread::Builder::new()
        .name("opgen-credential-process-pipe".to_owned())
        .spawn(move || {
            let mut read = Vec::new();
            let result = reader
                .take(cap as u64 + 1)
                .read_to_end(&mut read)
                .map(|_| read);
            // The receiver is gone once the runner has given up.
            let _ = sender.send((pipe, result));
        })
        .map(|_| ())
        .map_err(|e| format!("failed to start a thread for the process: {e}"))
}

/// Kills the process (`SIGKILL` on Unix) and waits for it, so that no
/// zombie is left; the wait is short, since a killed process exits at once.
fn kill_and_reap(child: &mut Child) {
    // Fails only if the process has exited already, which the wait reaps.
    let _ = child.kill();
    let _ = child.wait();
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
