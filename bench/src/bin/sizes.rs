//! Prints the in-memory size of a few response types (a large struct costs a copy per move while decoding).
fn main() {
    println!("Invoice {}", std::mem::size_of::<stripe_sdk::Invoice>());
    println!("Customer {}", std::mem::size_of::<stripe_sdk::Customer>());
    println!("Charge {}", std::mem::size_of::<stripe_sdk::Charge>());
    println!("Product {}", std::mem::size_of::<stripe_sdk::Product>());
    println!("Price {}", std::mem::size_of::<stripe_sdk::Price>());
    println!("PaymentIntent {}", std::mem::size_of::<stripe_sdk::PaymentIntent>());
    println!("Subscription {}", std::mem::size_of::<stripe_sdk::Subscription>());
}
