//! Hand-written runtime support called by the generated code.
//!
//! With only some of the API's features on, generated code may call none of a module's helpers;
//! the `allow`s below keep such builds free of dead-code warnings.

#[cfg_attr(not(feature = "full"), allow(dead_code, unused_macros, unused_imports))]
pub mod de;
#[cfg_attr(not(feature = "full"), allow(unused_macros, unused_imports))]
pub(crate) mod debug;
pub(crate) mod expandable;
pub mod file;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub mod form;
pub(crate) mod list;
pub(crate) mod paginate;
#[cfg_attr(not(feature = "full"), allow(dead_code))]
pub mod path;
#[cfg_attr(not(feature = "full"), allow(unused_macros, unused_imports))]
pub(crate) mod ser;
#[cfg_attr(not(feature = "full"), allow(dead_code, unused_macros, unused_imports))]
pub(crate) mod string_enum;
pub(crate) mod unsettable;
