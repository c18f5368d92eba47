//! Boxing large nested objects in the types responses decode into.
//!
//! Stripe's objects nest many optional objects: a charge's `payment_method_details` holds one
//! struct per payment method, an invoice holds its payment settings, shipping, transfer data and
//! more. Inline, every one of them takes its full size even when the API sends `null`, which made
//! `Invoice` ~12 KB and `Charge` ~6 KB, and decoding moves a value several times on its way into
//! its parent. A field or union variant whose type would take more than [`LIMIT`] bytes inline is
//! boxed instead, so that an absent object costs a pointer and a present one is moved as one.
//! Request parameters are left as they are: they are built once and only serialized.

use crate::ir::{Field, Ir, Presence, TypeId, TypeKind, TypeRef};

/// The estimated inline size, in bytes, above which a nested object is boxed.
pub(super) const LIMIT: usize = 256;

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
}
