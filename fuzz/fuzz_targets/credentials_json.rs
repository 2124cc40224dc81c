#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| opgen_fuzz::credentials_json(data));
