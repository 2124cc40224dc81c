//! `Debug` of a structure prints `*** Sensitive Data Redacted ***` for its
//! `@sensitive` members (and members targeting `@sensitive` shapes or
//! collections of them), and the other members as usual; builders redact
//! the same way, and so does a structure nested in another.
//!
//! `ui-models/` is `tests/ui/models/`, copied beside trybuild's project by
//! `tests/ui.rs`, because `model =` is relative to that project's manifest.

// The expansion must be warning-free in user code.
#![deny(warnings)]

mod agentcore {
    opgen::include_operation!("GetResourceOauth2Token");
}

mod widgets {
    opgen::include_operation!("PutWidget", model = "ui-models/widgets.json");
}

use agentcore::{GetResourceOauth2TokenRequest, Oauth2FlowType};

fn main() {
    let builder = GetResourceOauth2TokenRequest::builder()
        .workload_identity_token("workload-secret")
        .resource_credential_provider_name("github-provider")
        .scopes(["repo"])
        .oauth2_flow(Oauth2FlowType::M2m)
        // A map whose values are `@sensitive` is redacted as a whole.
        .custom_parameters([("prompt", "parameter-secret")])
        .custom_state("state-secret");
    let shown_builder = format!("{builder:?}");
    let shown = format!("{:?}", builder.build().unwrap());
    for text in [shown, shown_builder] {
        assert!(text.contains("*** Sensitive Data Redacted ***"), "{text}");
        for secret in ["workload-secret", "parameter-secret", "state-secret"] {
            assert!(!text.contains(secret), "{secret} shown in {text}");
        }
        assert!(text.contains("github-provider"), "{text}");
        assert!(text.contains("M2m") || text.contains("M2M"), "{text}");
    }

    let widget = widgets::Widget::builder()
        .name("gear")
        .secret("widget-secret")
        .build()
        .unwrap();
    let input = widgets::PutWidgetInput::builder()
        .id("w-1")
        .widget(widget)
        .build()
        .unwrap();
    let shown = format!("{input:?}");
    assert!(!shown.contains("widget-secret"), "{shown}");
    assert!(
        shown.contains("gear") && shown.contains("*** Sensitive Data Redacted ***"),
        "{shown}"
    );
}
