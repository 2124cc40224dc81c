#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| opgen_fuzz::xml_decode(data));
