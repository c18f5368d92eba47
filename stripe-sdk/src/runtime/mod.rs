//! Hand-written runtime support called by the generated code.

pub(crate) mod expandable;
pub(crate) mod file;
pub mod form;
pub(crate) mod list;
pub(crate) mod paginate;
pub(crate) mod string_enum;
pub(crate) mod union;
pub(crate) mod unsettable;
