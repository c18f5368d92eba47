//! The two types that webhook events are read with:
//! - `EventType`: every event type, taken from the `enabled_events` enum of the request parameters
//!   (where the spec lists them: a webhook endpoint's subscribed events);
//! - `EventObject`: every object with an `object` tag, decoded by that tag (and `deleted`).

use std::collections::{BTreeMap, BTreeSet};

use crate::error::{Error, Result};
use crate::ir::{Doc, Home, Struct, TypeId, TypeKind, TypeRef, Variant};
use crate::names;

use super::{Converter, Share};

const EVENT_TYPE: &str = "EventType";
const EVENT_OBJECT: &str = "EventObject";

/// The `event` schema: what the webhook module's own event type takes its nested types from.
const EVENT_SCHEMA: &str = "event";

pub(super) fn add(converter: &mut Converter) -> Result<()> {
    let event_type = name_event_types(converter)?;
    let event_object = add_event_object(converter)?;
    let Some(event) = converter.components.get(EVENT_SCHEMA).copied() else {
        return Err(Error::unsupported(
            "#/components/schemas",
            format!("no `{EVENT_SCHEMA}` schema to read webhook events with"),
        ));
    };
    converter.event_roots = vec![event_type, event_object, event];
    Ok(())
}

/// Renames the `enabled_events` item enum to `EventType`.
fn name_event_types(converter: &mut Converter) -> Result<TypeId> {
    let found: Vec<TypeId> = converter
        .shapes
        .iter()
        .filter(|((share, kind), _)| {
            *share == Share::Field("enabled_events".to_owned())
                && matches!(kind, TypeKind::StringEnum(_))
        })
        .map(|(_, id)| *id)
        .collect();
    let id =
        match found.as_slice() {
            [id] => *id,
            [] => {
                return Err(Error::unsupported(
                    "#/paths",
                    "no request parameter `enabled_events` lists the event types",
                ))
            }
            _ => return Err(Error::unsupported(
                "#/paths",
                "several different `enabled_events` enums; cannot tell which lists the event types",
            )),
        };
    let namespace = converter.pending[id.0].home.namespace.clone();
    if !converter.claim(&namespace, EVENT_TYPE) {
        return Err(Error::unsupported(
            "#/components/schemas",
            format!("type name `{EVENT_TYPE}` is already taken"),
        ));
    }
    let slot = &mut converter.pending[id.0];
    slot.name = EVENT_TYPE.to_owned();
    slot.doc = Some(Doc::Generated(
        "The type of an event (`customer.created`), as listed for webhook endpoints.".to_owned(),
    ));
    Ok(id)
}

fn add_event_object(converter: &mut Converter) -> Result<TypeId> {
    // Every component with an `object` tag: the resources, and objects such as `deleted_card` that
    // appear only inside others but can still be the object of an event.
    let mut variants = Vec::new();
    let mut scope = names::Scope::with_reserved(&["Unknown"]);
    for (name, id) in &converter.components {
        let Some(TypeKind::Struct(Struct { object_tag: Some(tag), deleted, .. })) =
            &converter.pending[id.0].kind
        else {
            continue;
        };
        let tags = BTreeSet::from([(tag.clone(), *deleted)]);
        variants.push(Variant {
            name: scope.claim(&names::type_name(name)),
            ty: TypeRef::Named(*id),
            tags,
        });
    }
    let mut seen = BTreeMap::new();
    for variant in &variants {
        for tag in &variant.tags {
            if let Some(other) = seen.insert(tag.clone(), variant.name.clone()) {
                return Err(Error::unsupported(
                    "#/components/schemas",
                    format!(
                        "resources `{other}` and `{}` share the object tag `{}`",
                        variant.name, tag.0
                    ),
                ));
            }
        }
    }
    let home = Home { namespace: None, file: names::module_name(EVENT_OBJECT), public: false };
    if converter.components.keys().any(|name| names::module_name(name) == home.file) {
        return Err(Error::unsupported(
            "#/components/schemas",
            format!("a schema takes the module name `{}`", home.file),
        ));
    }
    let doc = "Any object an event can carry in `data.object`: every resource of the API, told apart by \
               its `object` field (and `deleted`), or the raw JSON of one this version does not know.";
    let id = converter.named(
        EVENT_OBJECT.to_owned(),
        &home,
        Some(Doc::Generated(doc.to_owned())),
        TypeKind::Union(variants),
    );
    if converter.pending[id.0].name != EVENT_OBJECT {
        return Err(Error::unsupported(
            "#/components/schemas",
            format!("type name `{EVENT_OBJECT}` is already taken"),
        ));
    }
    Ok(id)
}
