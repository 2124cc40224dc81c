// A match listing every value of a generated enum still needs a wildcard
// arm: values added to the model later would otherwise break this code.
mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}
use agentcore::Oauth2FlowType;

fn describe(flow: &Oauth2FlowType) -> &'static str {
    match flow {
        Oauth2FlowType::UserFederation => "user",
        Oauth2FlowType::M2m => "machine",
        Oauth2FlowType::Unknown(_) => "newer",
    }
}

fn main() {
    let _ = describe(&Oauth2FlowType::M2m);
}
