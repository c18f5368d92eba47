//! Products and prices. A price names an existing product or creates one from `product_data`;
//! its `type` is `recurring` exactly when `recurring` is given.

use serde_json::Value;

use super::{text, Ctx};
use crate::engine::Failure;
use crate::form::{Node, Params};

/// `POST /v1/products`.
pub fn create_product(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let mut product = ctx.new_object("product", "prod_");
    if let Some(id) = text(ctx.params, &["id"]) {
        product.insert("id".to_owned(), Value::from(id));
    }
    product
        .insert("active".to_owned(), Value::Bool(text(ctx.params, &["active"]) != Some("false")));
    product.insert("updated".to_owned(), Value::from(ctx.now));
    product.insert("default_price".to_owned(), Value::Null);
    let mut product = Value::Object(product);
    ctx.put("product", &product);
    ctx.emit("product.created", &product, None);
    if let Some(price) = super::node(ctx.params, &["default_price_data"]) {
        let Node::Map(fields) = price else { return Ok(product) };
        let price = price_object(ctx, fields, product["id"].as_str().unwrap_or(""));
        let before = product.clone();
        product["default_price"] = price["id"].clone();
        ctx.save_changed("product", &before, &product, "product.updated");
    }
    Ok(product)
}

/// `POST /v1/prices`.
pub fn create_price(ctx: &mut Ctx<'_>) -> Result<Value, Failure> {
    let params = ctx.params;
    let product = product_for(ctx, params, "")?;
    Ok(price_object(ctx, params, &product))
}

/// The product `fields` names (`product`, which must exist) or creates (`product_data`);
/// `prefix` is where `fields` sit in the request (`line_items[0][price_data]`, or empty).
fn product_for(ctx: &mut Ctx<'_>, fields: &Params, prefix: &str) -> Result<String, Failure> {
    let name = |field: &str| {
        if prefix.is_empty() {
            field.to_owned()
        } else {
            format!("{prefix}[{field}]")
        }
    };
    match (text(fields, &["product"]), super::node(fields, &["product_data"])) {
        (Some(id), _) => {
            Ok(ctx.get("product", id, &name("product"))?["id"].as_str().unwrap_or(id).to_owned())
        }
        (None, Some(Node::Map(data))) => {
            // The product's fields come from `product_data`, typed by the product's schema.
            let mut inner = ctx.with(data);
            let mut product = inner.new_object("product", "prod_");
            product
                .insert("active".to_owned(), Value::Bool(text(data, &["active"]) != Some("false")));
            product.insert("updated".to_owned(), Value::from(inner.now));
            let product = Value::Object(product);
            inner.put("product", &product);
            inner.emit("product.created", &product, None);
            Ok(product["id"].as_str().unwrap_or("").to_owned())
        }
        _ => Err(super::invalid(
            "You must specify either `product` or `product_data` when creating a price.",
            Some(&name("product")),
            Some("parameter_missing"),
        )),
    }
}

/// The price of a list entry (`items[0]`, `line_items[0]`): its `price`, which must exist, or a
/// new price from its `price_data`.
pub fn price_of_entry(ctx: &mut Ctx<'_>, entry: &Params, param: &str) -> Result<Value, Failure> {
    match (text(entry, &["price"]), super::node(entry, &["price_data"])) {
        (Some(id), _) => price(ctx, id, &format!("{param}[price]")),
        (None, Some(Node::Map(data))) => {
            let product = product_for(ctx, data, &format!("{param}[price_data]"))?;
            Ok(price_object(ctx, data, &product))
        }
        _ => Err(super::invalid(
            format!("Missing required param: {param}[price]."),
            Some(&format!("{param}[price]")),
            Some("parameter_missing"),
        )),
    }
}

/// Stores a price of `product` described by `fields` (the parameters of `POST /v1/prices`, or a
/// `price_data` / `default_price_data` hash) and records `price.created`.
pub fn price_object(ctx: &mut Ctx<'_>, fields: &Params, product: &str) -> Value {
    let id = ctx.state.store.fresh_id("price_");
    let mut price = super::blank(ctx.api, "price");
    if let Some(schema) = ctx.api.resource_schema("price") {
        let mut value = Value::Object(price);
        crate::reflect::apply(ctx.api, schema, &mut value, fields);
        price = value.as_object().cloned().unwrap_or_default();
    }
    let recurring = super::node(fields, &["recurring"]).is_some();
    price.insert("id".to_owned(), Value::from(id));
    price.insert("created".to_owned(), Value::from(ctx.now));
    price.insert("product".to_owned(), Value::from(product));
    price.insert("active".to_owned(), Value::Bool(text(fields, &["active"]) != Some("false")));
    price.insert("type".to_owned(), Value::from(if recurring { "recurring" } else { "one_time" }));
    if recurring {
        let interval = text(fields, &["recurring", "interval"]).unwrap_or("month");
        let count = super::int(fields, &["recurring", "interval_count"]).unwrap_or(1);
        price.insert(
            "recurring".to_owned(),
            serde_json::json!({
                "interval": interval,
                "interval_count": count,
                "meter": text(fields, &["recurring", "meter"]),
                "usage_type": text(fields, &["recurring", "usage_type"]).unwrap_or("licensed"),
                "trial_period_days": null,
            }),
        );
    } else {
        price.insert("recurring".to_owned(), Value::Null);
    }
    let unit_amount = super::int(fields, &["unit_amount"]);
    price.insert("unit_amount".to_owned(), unit_amount.map_or(Value::Null, Value::from));
    price.insert(
        "unit_amount_decimal".to_owned(),
        unit_amount.map_or(Value::Null, |amount| Value::from(amount.to_string())),
    );
    if let Some(currency) = text(fields, &["currency"]) {
        price.insert("currency".to_owned(), Value::from(currency.to_ascii_lowercase()));
    }
    price.insert(
        "billing_scheme".to_owned(),
        Value::from(text(fields, &["billing_scheme"]).unwrap_or("per_unit")),
    );
    let price = Value::Object(price);
    ctx.put("price", &price);
    ctx.emit("price.created", &price, None);
    price
}

/// A price by id, or Stripe's 404 naming `param`.
pub fn price(ctx: &Ctx<'_>, id: &str, param: &str) -> Result<Value, Failure> {
    ctx.get("price", id, param)
}
