// A misspelled operation name: the error is at the literal and suggests the
// closest name of the model.
mod agentcore {
    opgen::include_operation!("GetResourceOAuth2Token");
}

fn main() {}
