//! Runs code in a Bedrock AgentCore code interpreter session and prints the
//! results as they stream in: the output of `InvokeCodeInterpreter` is an
//! event stream, which opgen generates as a typed receiver.
//!
//! ```text
//! cargo run --example invoke_code_interpreter
//! ```
//!
//! It starts, in this process, a loopback stub of the service that answers
//! with `result` events cut into chunks of random sizes (as a network
//! delivers them), then a modeled `throttlingException` event. The client
//! prints each event as it arrives, then the typed error, and exits with 0
//! when everything arrived as sent.
//!
//! The model (`model.json` beside this file) is the part of the AgentCore
//! API this example calls, written for opgen. The operation's input does not
//! stream, so this works with opgen today.

mod agentcore {
    opgen::include_operation!(
        "InvokeCodeInterpreter",
        model = "examples/invoke_code_interpreter/model.json"
    );
}

use agentcore::{
    CodeInterpreterStreamOutput, InvokeCodeInterpreterError, InvokeCodeInterpreterRequest,
    ProgrammingLanguage, ToolArguments, ToolName,
};
use opgen::event_stream::{HeaderValue, Message};
use opgen::{Client, Config, Credentials};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the stub's code "prints", one event per line.
const LINES: &[&str] = &["starting", "1 + 1 = 2", "2 ** 10 = 1024", "done"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let url = match stub().await {
        Ok(url) => url,
        Err(e) => {
            eprintln!("cannot start the stub: {e}");
            return ExitCode::FAILURE;
        }
    };
    let client = Client::new(
        Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "example-secret", None))
            .endpoint_url(&url)
            .event_stream_idle_timeout(Duration::from_secs(5))
            .build(),
    );
    match run(&client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    let input = InvokeCodeInterpreterRequest::builder()
        .code_interpreter_identifier("aws.codeinterpreter.v1")
        .session_id("demo01")
        .name(ToolName::ExecuteCode)
        .arguments(
            ToolArguments::builder()
                .language(ProgrammingLanguage::Python)
                .code("print(1 + 1)")
                .build()?,
        )
        .build()?;
    let mut output = client.send(input).await?;
    println!("session {}", output.session_id().unwrap_or("?"));
    let mut stream = output.take_stream();
    let mut received = Vec::new();
    let error = loop {
        match stream.recv().await {
            Ok(Some(CodeInterpreterStreamOutput::Result(result))) => {
                for block in result.content() {
                    let text = block.text().unwrap_or_default();
                    println!("event: {text}");
                    received.push(text.to_owned());
                }
            }
            Ok(Some(other)) => println!("event of another kind: {other:?}"),
            Ok(None) => return Err("the stream ended without the expected error".into()),
            Err(error) => break error,
        }
    };
    match error.as_service_error() {
        Some(InvokeCodeInterpreterError::ThrottlingException(e)) => {
            println!("stream ended with ThrottlingException: {:?}", e.message());
        }
        _ => return Err(format!("unexpected error: {error}").into()),
    }
    if received != LINES {
        return Err(format!("received {received:?}, sent {LINES:?}").into());
    }
    println!("ok: {} events, then the modeled error", received.len());
    Ok(())
}

fn event(message_type: &str, kind_header: &str, kind: &str, payload: String) -> Vec<u8> {
    Message::new(payload)
        .with_header(":message-type", HeaderValue::String(message_type.into()))
        .with_header(kind_header, HeaderValue::String(kind.into()))
        .with_header(
            ":content-type",
            HeaderValue::String("application/json".into()),
        )
        .encode()
        .map(|b| b.to_vec())
        .unwrap_or_default()
}

/// Starts the stub on 127.0.0.1 and returns its URL. It answers one
/// request: the session header, then the events in random chunks.
async fn stub() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        // The request is small: its head and body come in one read.
        let mut request = vec![0u8; 64 * 1024];
        if socket.read(&mut request).await.is_err() {
            return;
        }
        let mut body = Vec::new();
        for line in LINES {
            let payload = format!(r#"{{"content":[{{"type":"text","text":"{line}"}}]}}"#);
            body.extend(event("event", ":event-type", "result", payload));
        }
        body.extend(event(
            "exception",
            ":exception-type",
            "throttlingException",
            r#"{"message":"slow down"}"#.to_owned(),
        ));
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
                    x-amzn-code-interpreter-session-id: demo01\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let mut seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1;
        let mut rest = body.as_slice();
        while !rest.is_empty() {
            // xorshift: chunk sizes of 1 to 40 bytes.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (chunk, tail) = rest.split_at(((seed % 40) as usize + 1).min(rest.len()));
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(chunk);
            framed.extend_from_slice(b"\r\n");
            if socket.write_all(&framed).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
            rest = tail;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    Ok(url)
}
