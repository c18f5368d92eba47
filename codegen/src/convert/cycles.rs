//! Cycles in the type graph: a type that contains itself by value (directly or through others)
//! has no size, so every by-value reference inside a strongly connected component is boxed.

use crate::ir::{Ir, TypeId, TypeKind, TypeRef};

/// Boxes every by-value reference between types of one strongly connected component, so that no
/// type contains itself without indirection.
pub(super) fn break_cycles(ir: &mut Ir) {
    let edges: Vec<Vec<TypeId>> = ir
        .types
        .iter()
        .map(|def| def.kind.children().into_iter().filter_map(TypeRef::direct_target).collect())
        .collect();
    let component = strongly_connected(&edges);
    for (index, def) in ir.types.iter_mut().enumerate() {
        // Aliases are not boxed: an alias cycle is refused when it is resolved.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for ty in def.kind.children_mut() {
            if let Some(target) = ty.direct_target() {
                if component[target.0] == component[index] {
                    *ty = TypeRef::Boxed(Box::new(ty.clone()));
                }
            }
        }
    }
}

/// Tarjan's algorithm (iterative): the strongly connected component of each node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(edge).map(|t| t.0) {
                work.push((node, edge + 1));
                if index[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::sample::{def, ir, object};

    fn field_types(ir: &Ir, index: usize) -> Vec<&TypeRef> {
        ir.types[index].kind.children()
    }

    #[test]
    fn components_are_found() {
        // 0 -> 1 -> 2 -> 0 is one component; 3 -> 3 another; 4 alone.
        let edges =
            vec![vec![TypeId(1)], vec![TypeId(2)], vec![TypeId(0)], vec![TypeId(3)], vec![]];
        let component = strongly_connected(&edges);
        assert!(component[0] == component[1] && component[1] == component[2]);
        assert_ne!(component[0], component[3]);
        assert_ne!(component[3], component[4]);
    }

    #[test]
    fn references_inside_a_cycle_are_boxed_and_others_are_not() {
        let named = |i| TypeRef::Named(TypeId(i));
        let mut ir = ir(vec![
            // 0 holds 1 by value, 1 holds 0 by value: a cycle.
            def("A", object(&[("b", named(1)), ("leaf", named(2))])),
            def("B", object(&[("a", named(0)), ("many", TypeRef::Vec(Box::new(named(0))))])),
            def("Leaf", object(&[("self_ref", named(2))])),
        ]);
        break_cycles(&mut ir);
        let boxed = |i| TypeRef::Boxed(Box::new(TypeRef::Named(TypeId(i))));
        assert_eq!(field_types(&ir, 0), [&boxed(1), &named(2)]);
        // A `Vec` is an indirection already.
        assert_eq!(field_types(&ir, 1), [&boxed(0), &TypeRef::Vec(Box::new(named(0)))]);
        assert_eq!(field_types(&ir, 2), [&boxed(2)]);
    }
}
