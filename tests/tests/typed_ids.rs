//! Typed ids and the helpers every user writes: an object's `id` is `Id<T>` (`CustomerId`), the
//! ids inside `Expandable<T>` too, path arguments take them (or strings), and a live-or-deleted
//! union gives its live object.

use serde_json::{json, Value};
use stripe_sdk::{
    Client, CreateCustomerParams, Customer, CustomerId, CustomerOrDeletedCustomer, Expandable,
    HasId, Id, Price, ProductId, RetrieveCustomerParams, Subscription, SubscriptionId,
};
use stripe_sdk_mock::MockServer;

fn fixture(resource: &str) -> Value {
    tests::fixtures::get(resource)
}

/// Takes only a customer's id: a `SubscriptionId` here does not compile.
fn customer_key(id: &CustomerId) -> String {
    format!("customer:{id}")
}

#[tokio::test]
async fn ids_are_typed_and_path_arguments_take_them() {
    let mock = MockServer::start().await;
    let client = Client::builder("sk_test_ids").api_base(mock.url()).build().expect("client");
    let customer = Customer::create(&client, &CreateCustomerParams::new()).await.expect("create");
    let id: &CustomerId = &customer.id;
    assert!(id.starts_with("cus_"), "{id}");
    assert_eq!(customer_key(id), format!("customer:{}", id.as_str()));

    // A typed id, a &str and a &String all name the path.
    let params = RetrieveCustomerParams::new();
    let by_id = Customer::retrieve(&client, &customer.id, &params).await.expect("by id");
    let by_str = Customer::retrieve(&client, customer.id.as_str(), &params).await.expect("by str");
    let owned: String = customer.id.clone().into();
    let by_string = Customer::retrieve(&client, &owned, &params).await.expect("by String");
    for found in [by_id, by_str, by_string] {
        assert_eq!(found.as_customer().map(|c| &c.id), Some(&customer.id));
        assert!(!found.is_deleted());
    }

    // Deleting gives the deleted object, whose id is the customer's id, the same type.
    let deleted = Customer::delete(&client, &customer.id).await.expect("delete");
    assert_eq!(deleted.id, customer.id);
}

#[test]
fn expandable_ids_are_typed_and_live_objects_come_out_of_unions() {
    let subscription: Subscription =
        serde_json::from_value(fixture("subscription")).expect("decodes");
    let _: &SubscriptionId = &subscription.id;
    match &subscription.customer {
        Expandable::Id(id) => {
            let id: &Id<CustomerOrDeletedCustomer> = id;
            assert!(!id.is_empty());
            assert_eq!(subscription.customer.id(), id.as_str());
        }
        Expandable::Object(object) => assert_eq!(subscription.customer.id(), object.id()),
    }

    let mut price = fixture("price");
    let product = fixture("product");
    price["product"] = product.clone();
    let price: Price = serde_json::from_value(price).expect("an expanded price");
    let live = price.product.as_live_object().expect("a live product");
    let _: &ProductId = &live.id;
    assert_eq!(live.id, product["id"].as_str().expect("an id"));

    price_with_deleted_product();
}

fn price_with_deleted_product() {
    let mut price = fixture("price");
    price["product"] = json!({"id": "prod_gone", "object": "product", "deleted": true});
    let price: Price = serde_json::from_value(price).expect("a price of a deleted product");
    assert!(price.product.as_live_object().is_none());
    let union = price.product.as_object().expect("expanded");
    assert!(union.is_deleted());
    assert!(union.clone().into_product().is_none());
    assert_eq!(price.product.id(), "prod_gone");
}

#[test]
fn an_id_serializes_as_the_plain_string() {
    let customer: Customer = serde_json::from_value(fixture("customer")).expect("decodes");
    let json = serde_json::to_value(&customer).expect("serializes");
    assert_eq!(json["id"], customer.id.as_str());
    let deleted: CustomerOrDeletedCustomer =
        serde_json::from_value(json!({"id": "cus_1", "object": "customer", "deleted": true}))
            .expect("deleted");
    assert!(deleted.is_deleted());
    assert!(deleted.into_customer().is_none());
}
