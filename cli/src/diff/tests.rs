use super::*;
use serde_json::json;

/// A model of service `ex#Svc` with operations `Get` (input `GetInput`,
/// output `GetOutput`, error `Oops`) and `Put`, with `shapes` merged over
/// the base (a `null` value removes a shape).
fn model(shapes: Value) -> ShapeGraph {
    let mut base = json!({
        "ex#Svc": {"type": "service", "version": "1", "operations": [
            {"target": "ex#Get"}, {"target": "ex#Put"}
        ]},
        "ex#Get": {"type": "operation",
            "input": {"target": "ex#GetInput"},
            "output": {"target": "ex#GetOutput"},
            "errors": [{"target": "ex#Oops"}]},
        "ex#Put": {"type": "operation"},
        "ex#GetInput": {"type": "structure", "members": {
            "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "filter": {"target": "smithy.api#String"}
        }},
        "ex#GetOutput": {"type": "structure", "members": {
            "name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
            "size": {"target": "smithy.api#Integer"},
            "tags": {"target": "ex#Tags"},
            "color": {"target": "ex#Color"},
            "shape": {"target": "ex#Form"},
            "inner": {"target": "ex#Inner"}
        }},
        "ex#Tags": {"type": "list", "member": {"target": "smithy.api#String"}},
        "ex#Color": {"type": "enum", "members": {
            "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
            "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}
        }},
        "ex#Form": {"type": "union", "members": {
            "circle": {"target": "smithy.api#Integer"},
            "square": {"target": "smithy.api#Integer"}
        }},
        "ex#Inner": {"type": "structure", "members": {
            "value": {"target": "smithy.api#String"},
            "next": {"target": "ex#Inner"}
        }},
        "ex#Oops": {"type": "structure", "traits": {"smithy.api#error": "client"}, "members": {
            "message": {"target": "smithy.api#String"}
        }},
        "ex#Gone": {"type": "structure", "traits": {"smithy.api#error": "client"}, "members": {}}
    });
    if let (Some(base), Value::Object(changes)) = (base.as_object_mut(), shapes) {
        for (id, shape) in changes {
            if shape.is_null() {
                base.remove(&id);
            } else {
                base.insert(id, shape);
            }
        }
    }
    let text = json!({"smithy": "2.0", "shapes": base}).to_string();
    ShapeGraph::from_json("test.json", &text).unwrap()
}

/// The changes of `Get` between the base model and one with `changes`.
fn get_changes(changes: Value) -> Vec<(Severity, String)> {
    let report = diff(&model(json!({})), &model(changes), &["Get".to_string()]).unwrap();
    report
        .operations
        .get("Get")
        .into_iter()
        .flatten()
        .map(|c| (c.severity, c.description.clone()))
        .collect()
}

fn one(changes: Value) -> (Severity, String) {
    let found = get_changes(changes);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

fn output_with(members: Value) -> Value {
    json!({"ex#GetOutput": {"type": "structure", "members": members}})
}

fn base_output_members() -> serde_json::Map<String, Value> {
    json!({
        "name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
        "size": {"target": "smithy.api#Integer"},
        "tags": {"target": "ex#Tags"},
        "color": {"target": "ex#Color"},
        "shape": {"target": "ex#Form"},
        "inner": {"target": "ex#Inner"}
    })
    .as_object()
    .cloned()
    .unwrap()
}

fn output_changed(member: &str, value: Value) -> Value {
    let mut members = base_output_members();
    if value.is_null() {
        members.remove(member);
    } else {
        members.insert(member.to_string(), value);
    }
    output_with(Value::Object(members))
}

#[test]
fn identical_models_have_no_change() {
    let report = diff(&model(json!({})), &model(json!({})), &[]).unwrap();
    assert!(report.operations.is_empty());
    assert!(!report.is_breaking());
    assert_eq!(report.summary(), "0 changes: 0 breaking, 0 compatible");
}

#[test]
fn documentation_is_not_a_change() {
    let changed = output_changed(
        "size",
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#documentation": "How big."}}),
    );
    assert_eq!(get_changes(changed), vec![]);
}

#[test]
fn added_and_removed_operations() {
    let old = model(json!({}));
    let new = model(json!({
        "ex#Svc": {"type": "service", "version": "1", "operations": [
            {"target": "ex#Get"}, {"target": "ex#List"}
        ]},
        "ex#Put": null,
        "ex#List": {"type": "operation"}
    }));
    let report = diff(&old, &new, &[]).unwrap();
    assert_eq!(
        report.operations["List"],
        vec![Change {
            severity: Severity::Compatible,
            description: "added operation List".into()
        }]
    );
    assert_eq!(
        report.operations["Put"],
        vec![Change {
            severity: Severity::Breaking,
            description: "removed operation Put".into()
        }]
    );
    assert!(!report.operations.contains_key("Get"));
    assert!(report.is_breaking());
    assert_eq!(report.summary(), "2 changes: 1 breaking, 1 compatible");
}

#[test]
fn unknown_operation_names_are_an_error() {
    let m = model(json!({}));
    let e = diff(&m, &m, &["Nope".into(), "Get".into()]).unwrap_err();
    assert_eq!(e.to_string(), "no operation named \"Nope\" in either model");
}

#[test]
fn added_member_is_compatible_and_removed_member_breaking() {
    let added = output_changed("extra", json!({"target": "smithy.api#Long"}));
    assert_eq!(
        one(added),
        (Severity::Compatible, "added member GetOutput$extra".into())
    );
    assert_eq!(
        one(output_changed("size", Value::Null)),
        (Severity::Breaking, "removed member GetOutput$size".into())
    );
}

#[test]
fn input_required_changes_are_compatible() {
    let changed = json!({"ex#GetInput": {"type": "structure", "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
        "filter": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}}
    }}});
    let (severity, text) = one(changed);
    assert_eq!(severity, Severity::Compatible);
    assert!(
        text.starts_with("member GetInput$filter is now required"),
        "{text}"
    );
}

#[test]
fn output_required_changes_change_the_getter() {
    let (severity, text) = one(output_changed(
        "size",
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}}),
    ));
    assert_eq!(severity, Severity::Breaking);
    assert!(
        text.starts_with("member GetOutput$size is now required"),
        "{text}"
    );
    let (severity, text) = one(output_changed(
        "name",
        json!({"target": "smithy.api#String"}),
    ));
    assert_eq!(severity, Severity::Breaking);
    assert!(
        text.starts_with("member GetOutput$name is now optional"),
        "{text}"
    );
    // @clientOptional keeps the Option, so only build() changes.
    let (severity, _) = one(output_changed(
        "size",
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}, "smithy.api#clientOptional": {}}}),
    ));
    assert_eq!(severity, Severity::Compatible);
}

#[test]
fn a_list_getter_is_a_slice_either_way() {
    let (severity, text) = one(output_changed(
        "tags",
        json!({"target": "ex#Tags", "traits": {"smithy.api#required": {}}}),
    ));
    assert_eq!(severity, Severity::Compatible, "{text}");
}

#[test]
fn type_changes_are_breaking_but_a_renamed_primitive_is_not() {
    assert_eq!(
        one(output_changed("size", json!({"target": "smithy.api#Long"}))),
        (
            Severity::Breaking,
            "type of GetOutput$size changed from i32 to i64".into()
        )
    );
    let mut aliased = output_changed(
        "name",
        json!({"target": "ex#Name", "traits": {"smithy.api#required": {}}}),
    );
    aliased
        .as_object_mut()
        .unwrap()
        .insert("ex#Name".into(), json!({"type": "string"}));
    assert_eq!(get_changes(aliased), vec![]);
    let (severity, text) = one(json!({
        "ex#Tags": {"type": "list", "member": {"target": "smithy.api#Integer"}}
    }));
    assert_eq!(severity, Severity::Breaking);
    assert_eq!(
        text,
        "type of GetOutput$tags changed from list<String> to list<i32>"
    );
    let (severity, text) = one(json!({
        "ex#Tags": {"type": "list", "traits": {"smithy.api#sparse": {}}, "member": {"target": "smithy.api#String"}}
    }));
    assert_eq!(severity, Severity::Breaking, "{text}");
}

#[test]
fn enum_values_added_are_compatible_and_removed_breaking() {
    let (severity, text) = one(json!({"ex#Color": {"type": "enum", "members": {
        "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}},
        "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}},
        "GREEN": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "green"}}
    }}}));
    assert_eq!(
        (severity, text.as_str()),
        (Severity::Compatible, "added enum value Color::GREEN")
    );
    let (severity, text) = one(json!({"ex#Color": {"type": "enum", "members": {
        "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}
    }}}));
    assert_eq!(
        (severity, text.as_str()),
        (Severity::Breaking, "removed enum value Color::BLUE")
    );
    let (severity, text) = one(json!({"ex#Color": {"type": "enum", "members": {
        "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "Red"}},
        "BLUE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "blue"}}
    }}}));
    assert_eq!(severity, Severity::Compatible, "{text}");
    assert!(text.contains("\"red\" to \"Red\""), "{text}");
}

#[test]
fn union_variants_added_are_compatible_and_removed_breaking() {
    assert_eq!(
        one(json!({"ex#Form": {"type": "union", "members": {
            "circle": {"target": "smithy.api#Integer"},
            "square": {"target": "smithy.api#Integer"},
            "star": {"target": "smithy.api#Integer"}
        }}})),
        (Severity::Compatible, "added variant Form$star".into())
    );
    assert_eq!(
        one(json!({"ex#Form": {"type": "union", "members": {
            "circle": {"target": "smithy.api#Integer"}
        }}})),
        (Severity::Breaking, "removed variant Form$square".into())
    );
}

#[test]
fn errors_added_are_compatible_and_removed_breaking() {
    let both = json!({"ex#Get": {"type": "operation",
        "input": {"target": "ex#GetInput"},
        "output": {"target": "ex#GetOutput"},
        "errors": [{"target": "ex#Oops"}, {"target": "ex#Gone"}]}});
    assert_eq!(
        one(both),
        (Severity::Compatible, "added error Gone of Get".into())
    );
    let none = json!({"ex#Get": {"type": "operation",
        "input": {"target": "ex#GetInput"},
        "output": {"target": "ex#GetOutput"}}});
    assert_eq!(
        one(none),
        (Severity::Breaking, "removed error Oops of Get".into())
    );
}

#[test]
fn error_members_are_compared() {
    assert_eq!(
        one(
            json!({"ex#Oops": {"type": "structure", "traits": {"smithy.api#error": "client"}, "members": {}}})
        ),
        (Severity::Breaking, "removed member Oops$message".into())
    );
}

#[test]
fn wire_traits_are_compatible_changes() {
    let (severity, text) = one(output_changed(
        "size",
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#jsonName": "Size"}}),
    ));
    assert_eq!(severity, Severity::Compatible);
    assert_eq!(
        text,
        "wire: @jsonName of GetOutput$size changed from absent to \"Size\""
    );
    let changed = json!({"ex#GetInput": {"type": "structure", "members": {
        "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-id", "smithy.api#required": {}}},
        "filter": {"target": "smithy.api#String"}
    }}});
    let found = get_changes(changed);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|(s, _)| *s == Severity::Compatible));
    assert!(found.iter().any(|(_, t)| t.contains("@httpLabel")));
    assert!(found.iter().any(|(_, t)| t.contains("@httpHeader")));
}

#[test]
fn nested_and_recursive_structures_are_walked() {
    assert_eq!(
        one(json!({"ex#Inner": {"type": "structure", "members": {
            "next": {"target": "ex#Inner"}
        }}})),
        (Severity::Breaking, "removed member Inner$value".into())
    );
}

#[test]
fn renamed_input_is_breaking() {
    let found = get_changes(json!({
        "ex#Get": {"type": "operation",
            "input": {"target": "ex#GetRequest"},
            "output": {"target": "ex#GetOutput"},
            "errors": [{"target": "ex#Oops"}]},
        "ex#GetInput": null,
        "ex#GetRequest": {"type": "structure", "members": {
            "id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "filter": {"target": "smithy.api#String"}
        }}
    }));
    assert_eq!(
        found,
        vec![(
            Severity::Breaking,
            "input of Get renamed from GetInput to GetRequest (`GetInput` names both)".into()
        )]
    );
}

#[test]
fn a_shared_shape_is_counted_once() {
    let mut changes = json!({
        "ex#Put": {"type": "operation", "output": {"target": "ex#PutOutput"}},
        "ex#PutOutput": {"type": "structure", "members": {"color": {"target": "ex#Color"}}}
    });
    let old = model(changes.clone());
    changes.as_object_mut().unwrap().insert(
        "ex#Color".into(),
        json!({"type": "enum", "members": {
            "RED": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "red"}}
        }}),
    );
    let report = diff(&old, &model(changes), &[]).unwrap();
    assert_eq!(report.operations.len(), 2);
    assert_eq!(report.summary(), "1 change: 1 breaking, 0 compatible");
    let text = report.to_string();
    assert!(
        text.ends_with("1 change: 1 breaking, 0 compatible\n"),
        "{text}"
    );
    assert!(
        text.starts_with("Get\n  breaking    removed enum value Color::BLUE\nPut\n"),
        "{text}"
    );
}

#[test]
fn a_structure_that_is_an_input_elsewhere_keeps_every_member_optional() {
    // `Inner` is reached from `GetOutput`, and is also `Put`'s input, so
    // the generator makes all its members `Option`.
    let put_takes_inner = json!({"ex#Put": {"type": "operation", "input": {"target": "ex#Inner"}}});
    let mut required = put_takes_inner.clone();
    required.as_object_mut().unwrap().insert(
        "ex#Inner".into(),
        json!({"type": "structure", "members": {
            "value": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
            "next": {"target": "ex#Inner"}
        }}),
    );
    let report = diff(&model(put_takes_inner), &model(required), &["Get".into()]).unwrap();
    let changes = &report.operations["Get"];
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].severity, Severity::Compatible);
    assert!(changes[0]
        .description
        .starts_with("member Inner$value is now required"));
}

#[test]
fn paginators_added_are_compatible_and_removed_or_retargeted_breaking() {
    let paginated = |traits: Value| {
        json!({"ex#Get": {"type": "operation",
            "input": {"target": "ex#GetInput"},
            "output": {"target": "ex#GetOutput"},
            "errors": [{"target": "ex#Oops"}],
            "traits": {"smithy.api#paginated": traits}}})
    };
    let base = paginated(json!({"inputToken": "filter", "outputToken": "name"}));
    assert_eq!(
        one(base.clone()),
        (Severity::Compatible, "added paginator Get::paginate".into())
    );
    let report = diff(&model(base.clone()), &model(json!({})), &[]).unwrap();
    assert_eq!(
        report.operations["Get"][0].description,
        "removed paginator Get::paginate"
    );
    assert!(report.is_breaking());
    let with_items =
        paginated(json!({"inputToken": "filter", "outputToken": "name", "items": "tags"}));
    let report = diff(&model(base.clone()), &model(with_items), &[]).unwrap();
    assert_eq!(report.operations["Get"][0].severity, Severity::Breaking);
    assert!(report.operations["Get"][0]
        .description
        .starts_with("paginator Get: items changed from absent to \"tags\""));
    let other_token = paginated(json!({"inputToken": "id", "outputToken": "name"}));
    let report = diff(&model(base), &model(other_token), &[]).unwrap();
    assert_eq!(report.operations["Get"][0].severity, Severity::Compatible);
}
