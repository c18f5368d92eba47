//! `Debug` for the generated structs.

/// Implements `Debug` like `#[derive(Debug)]` does, but `#[inline]`: the derive's `fmt` is compiled
/// into this crate for every one of its ~1,700 structs whether or not an application ever prints
/// one; an inline `fmt` is compiled only where it is used.
macro_rules! debug_struct {
    ($name:ident { $($field:ident),* $(,)? }) => {
        impl ::std::fmt::Debug for $name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), &self.$field))*
                    .finish()
            }
        }
    };
}
pub(crate) use debug_struct;
