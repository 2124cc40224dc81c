#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| opgen_fuzz::profile_files(data));
