#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| latch_login_fuzz::checks::id_token_parts(data));
