//! Boxing large nested objects in the types responses decode into.
//!
//! Stripe's objects nest many optional objects: a charge's `payment_method_details` holds one
//! struct per payment method, an invoice holds its payment settings, shipping, transfer data and
//! more. Inline, every one of them takes its full size even when the API sends `null`, which made
//! `Invoice` ~12 KB and `Charge` ~6 KB, and decoding moves a value several times on its way into
//! its parent. A field or union variant whose type would take more than [`LIMIT`] bytes inline is
//! boxed instead, so that an absent object costs a pointer and a present one is moved as one.
//! A struct that is still larger than [`BUDGET`] (one holding many mid-sized objects, such as a
//! payment intent's `next_action`, ~1.7 KB) then has its largest nested objects boxed, largest
//! first, until it fits: decoding writes, moves and drops every byte of a struct, present or not.
//! Request parameters are left as they are: they are built once and only serialized.

use crate::ir::{Field, Ir, Presence, TypeId, TypeKind, TypeRef};

/// The estimated inline size, in bytes, above which a nested object is boxed.
pub(super) const LIMIT: usize = 256;

/// The estimated inline size, in bytes, that a response struct is brought under by boxing its
/// largest nested objects.
pub(super) const BUDGET: usize = 512;

/// The smallest nested object that [`BUDGET`] boxes: below it, an allocation for a present
/// object costs more than the bytes it saves.
pub(super) const MIN_BOXED: usize = 64;

/// Boxes the large fields of response structs and the large variants of unions. Runs after
/// cycles are broken, so that the types a type holds by value form a tree.
pub(super) fn box_large(ir: &mut Ir) {
    let mut sizes = vec![None; ir.types.len()];
    for index in 0..ir.types.len() {
        type_size(ir, TypeId(index), &mut sizes);
    }
    let boxed = |ty: &mut TypeRef| {
        if let TypeRef::Named(id) = ty {
            if sizes[id.0].unwrap_or(0) > LIMIT {
                *ty = TypeRef::Boxed(Box::new(ty.clone()));
            }
        }
    };
    for def in &mut ir.types {
        // Request parameters are never boxed; aliases keep the type they name.
        let by_value = match &def.kind {
            TypeKind::Struct(s) => !s.request,
            TypeKind::Union(_) => true,
            _ => false,
        };
        if by_value {
            def.kind.children_mut().into_iter().for_each(boxed);
        }
    }
    let mut sizes = vec![None; ir.types.len()];
    for index in 0..ir.types.len() {
        fit(ir, TypeId(index), &mut sizes);
    }
}

/// Brings a response struct under [`BUDGET`] (see the module's doc), its children first, so that
/// it is measured with them already fitted; returns its size.
fn fit(ir: &mut Ir, id: TypeId, sizes: &mut Vec<Option<usize>>) -> usize {
    if let Some(size) = sizes[id.0] {
        return size;
    }
    let mut held = Vec::new();
    ir.get(id).kind.children().into_iter().for_each(|ty| held_by_value(ty, &mut held));
    for child in held {
        fit(ir, child, sizes);
    }
    let size = type_size(ir, id, sizes);
    let TypeKind::Struct(s) = &ir.get(id).kind else { return size };
    if s.request || size <= BUDGET {
        return size;
    }
    // Fields holding an object by value, largest first (in field order among equals).
    let mut candidates: Vec<(usize, usize)> = s
        .fields
        .iter()
        .enumerate()
        .filter_map(|(index, field)| match field.ty {
            TypeRef::Named(child) => Some((field_size(ir, field, sizes), index, child)),
            _ => None,
        })
        .filter(|(_, _, child)| {
            matches!(ir.get(*child).kind, TypeKind::Struct(_) | TypeKind::Union(_))
        })
        .map(|(size, index, _)| (size, index))
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut size = size;
    let TypeKind::Struct(s) = &mut ir.types[id.0].kind else { return size };
    for (field_size, index) in candidates {
        if size <= BUDGET || field_size < MIN_BOXED {
            break;
        }
        let field = &mut s.fields[index];
        field.ty = TypeRef::Boxed(Box::new(field.ty.clone()));
        size -= field_size - 8;
    }
    sizes[id.0] = Some(size);
    size
}

/// The types `ty` holds by value (not behind a box, a vector, a map or an expandable id).
fn held_by_value(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Nullable(inner) | TypeRef::Unsettable(inner) => held_by_value(inner, out),
        _ => {}
    }
}

/// The estimated size of a type held by value (64-bit layout, roughly: no padding, one word
/// for an enum's tag).
fn type_size(ir: &Ir, id: TypeId, sizes: &mut Vec<Option<usize>>) -> usize {
    if let Some(size) = sizes[id.0] {
        return size;
    }
    let kind = &ir.get(id).kind;
    let size = match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|field| field_size(ir, field, sizes)).sum(),
        TypeKind::StringEnum(_) => 24,
        TypeKind::Alias(ty) => ref_size(ir, ty, sizes),
        // An enum: a tag word and its largest variant.
        TypeKind::Union(_) | TypeKind::RequestUnion(_) => {
            8 + kind.children().into_iter().map(|ty| ref_size(ir, ty, sizes)).max().unwrap_or(0)
        }
    };
    sizes[id.0] = Some(size);
    size
}

fn field_size(ir: &Ir, field: &Field, sizes: &mut Vec<Option<usize>>) -> usize {
    let size = ref_size(ir, &field.ty, sizes);
    let niche = matches!(
        field.ty,
        TypeRef::String
            | TypeRef::Vec(_)
            | TypeRef::Map(_)
            | TypeRef::Boxed(_)
            | TypeRef::Expandable(_)
    );
    if field.presence == Presence::Required || niche {
        size
    } else {
        size + 8
    }
}

fn ref_size(ir: &Ir, ty: &TypeRef, sizes: &mut Vec<Option<usize>>) -> usize {
    match ty {
        TypeRef::Bool => 1,
        TypeRef::I64 | TypeRef::F64 | TypeRef::Timestamp | TypeRef::Boxed(_) => 8,
        TypeRef::Currency | TypeRef::DateTime => 24,
        // A shared string: pointer and length.
        TypeRef::Id(_) => 16,
        TypeRef::Nullable(inner) => ref_size(ir, inner, sizes) + 8,
        TypeRef::String
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::Expandable(_)
        | TypeRef::File => 24,
        TypeRef::Json => 32,
        TypeRef::List(_) | TypeRef::SearchList(_) | TypeRef::V2List(_) => 72,
        TypeRef::Named(id) => type_size(ir, *id, sizes),
        TypeRef::Unsettable(inner) => 8 + ref_size(ir, inner, sizes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{def, ir, object};

    #[test]
    fn large_nested_objects_are_boxed_in_responses_only() {
        let named = |i| TypeRef::Named(TypeId(i));
        // 40 i64 fields: ~320 bytes inline, over the limit; one i64 field is not.
        let wide: Vec<(String, TypeRef)> =
            (0..40).map(|i| (format!("f{i}"), TypeRef::I64)).collect();
        let wide: Vec<(&str, TypeRef)> =
            wide.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
        let mut request = object(&[("big", named(0))]);
        if let TypeKind::Struct(s) = &mut request {
            s.request = true;
        }
        let mut ir = ir(vec![
            def("Wide", object(&wide)),
            def("Narrow", object(&[("n", TypeRef::I64)])),
            def("Parent", object(&[("big", named(0)), ("small", named(1))])),
            def("Params", request),
        ]);
        box_large(&mut ir);
        let boxed = TypeRef::Boxed(Box::new(named(0)));
        assert_eq!(ir.types[2].kind.children(), [&boxed, &named(1)]);
        assert_eq!(ir.types[3].kind.children(), [&named(0)], "request parameters are never boxed");
    }

    #[test]
    fn a_struct_over_budget_boxes_its_largest_objects_first() {
        let named = |i| TypeRef::Named(TypeId(i));
        let fields = |count: usize, ty: &dyn Fn(usize) -> TypeRef| -> Vec<(String, TypeRef)> {
            (0..count).map(|i| (format!("f{i}"), ty(i))).collect()
        };
        let object_of = |fields: Vec<(String, TypeRef)>| {
            let fields: Vec<(&str, TypeRef)> =
                fields.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
            object(&fields)
        };
        // Optional i64 fields take 16 bytes: mid-sized is ~96 bytes, bigger ~160 (both under
        // LIMIT, over MIN_BOXED), tiny ~32.
        let mid = object_of(fields(6, &|_| TypeRef::I64));
        let bigger = object_of(fields(10, &|_| TypeRef::I64));
        let tiny = object_of(fields(2, &|_| TypeRef::I64));
        // Six optional mid-sized objects and a bigger one (~792 bytes): over BUDGET.
        let mut parent = fields(6, &|_| named(0));
        parent.push(("big".to_owned(), named(1)));
        // Forty optional tiny objects (~1.6 KB), each too small to be worth a box.
        let crowd = fields(40, &|_| named(2));
        let mut ir = ir(vec![
            def("Mid", mid),
            def("Bigger", bigger),
            def("Tiny", tiny),
            def("Parent", object_of(parent)),
            def("Crowd", object_of(crowd)),
        ]);
        box_large(&mut ir);
        let boxed: Vec<bool> =
            ir.types[3].kind.children().iter().map(|ty| matches!(ty, TypeRef::Boxed(_))).collect();
        // The biggest first (792 → 632), then mid-sized ones in field order (→ 536 → 440).
        assert_eq!(boxed, [true, true, false, false, false, false, true]);
        assert!(ir.types[4].kind.children().iter().all(|ty| matches!(ty, TypeRef::Named(_))));
    }
}
