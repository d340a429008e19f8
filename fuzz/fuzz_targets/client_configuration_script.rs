#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| latch_login_fuzz::checks::client_configuration_script(data));
