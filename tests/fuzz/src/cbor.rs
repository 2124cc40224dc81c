//! `cbor_decode`: arbitrary bytes through the rpcv2Cbor body codec.

use opgen::__private::cbor::{decode, encode, Value};

/// The input is a CBOR item, or anything else.
///
/// Invariants: `decode` never panics (nor exhausts memory or the stack:
/// the sanitizers and libFuzzer's limits catch that); when it succeeds,
/// the re-encoding decodes again, to an equal value (NaN equal to NaN),
/// and encoding that value gives the same bytes again.
pub fn cbor_decode(data: &[u8]) {
    let Ok(first) = decode(data) else {
        return;
    };
    let encoded = encode(&first);
    let second = match decode(&encoded) {
        Ok(value) => value,
        Err(e) => panic!("the re-encoding of {first:?} does not decode: {e}"),
    };
    assert!(
        same(&first, &second),
        "the round trip changed the value: {first:?} became {second:?}"
    );
    assert_eq!(encode(&second), encoded, "encoding is not deterministic");
}

/// Equality where NaN equals NaN and 0.0 differs from -0.0: the codec must
/// keep both apart.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
        }
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Value::Map(xs), Value::Map(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((kx, x), (ky, y))| kx == ky && same(x, y))
        }
        (Value::Tag(tx, x), Value::Tag(ty, y)) => tx == ty && same(x, y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_treats_nan_as_equal_and_signed_zeros_as_different() {
        let nan = Value::Array(vec![Value::Float(f64::NAN)]);
        assert!(same(&nan, &nan.clone()));
        assert!(!same(&Value::Float(0.0), &Value::Float(-0.0)));
        assert!(!same(&Value::Integer(1), &Value::Float(1.0)));
    }
}
