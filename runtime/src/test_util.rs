//! Hooks that make generated requests reproducible in tests (feature
//! `test-util`).

use crate::__private::FIXED_IDEMPOTENCY_TOKEN;

/// Runs `f` with every idempotency token filled in on this thread equal to
/// `token`, instead of a fresh random one.
pub fn with_fixed_idempotency_token<R>(token: &str, f: impl FnOnce() -> R) -> R {
    let previous = FIXED_IDEMPOTENCY_TOKEN.with(|fixed| fixed.replace(Some(token.to_string())));
    // Restore even if `f` panics, so one test cannot leak its token.
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            FIXED_IDEMPOTENCY_TOKEN.with(|fixed| *fixed.borrow_mut() = previous);
        }
    }
    let _restore = Restore(previous);
    f()
}
