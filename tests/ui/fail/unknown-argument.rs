// A misspelled keyword argument (`modle` for `model`).
mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token", modle = "model/service.json");
}

fn main() {}
