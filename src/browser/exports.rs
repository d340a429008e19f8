//! The shipped module's boundary, by hand: strings and numbers only, read by
//! `src/js/wasm.js`. A bindings generator would bring a runtime, a table of JS values and a
//! glue file several times the size of this boundary (issue 7), for values that are all text.
//!
//! - A string argument is a pointer and a length: the wrapper asks for the memory (`reserve`),
//!   writes the UTF-8 there, and the wasm takes it over. A negative length is none.
//! - A step returns 0 and hands its value (if any) to the wrapper with the `out` import, or
//!   returns 1 and hands over its error as `{error, errorDescription}`.
//! - A widget is a handle: the address of its [`LatchCore`], from `create` to `destroy`.

use ::alloc::alloc::{alloc, handle_alloc_error, Layout};
use ::alloc::boxed::Box;

use crate::core::Error;
use crate::prelude::*;

use super::error_json;
use super::{supports as verdict, LatchCore};

#[link(wasm_import_module = "latch")]
extern "C" {
    /// Hands the wrapper a string: the value of the step under way, or its error. The wrapper
    /// reads it before the step returns.
    fn out(ptr: *const u8, len: usize);
}

/// A widget, as the wrapper holds it.
type Handle = *mut LatchCore;

fn give(text: &str) {
    // SAFETY: the wrapper reads `len` bytes at `ptr` during the call, while `text` is alive.
    unsafe { out(text.as_ptr(), text.len()) }
}

/// What a step has to hand over.
trait Value {
    fn give(self);
}

impl Value for () {
    fn give(self) {}
}

impl Value for String {
    fn give(self) {
        give(&self)
    }
}

impl Value for Option<String> {
    fn give(self) {
        if let Some(text) = self {
            give(&text)
        }
    }
}

/// A step's outcome: 0 and its value, or 1 and its error's payload.
fn reply<T: Value>(step: Result<T, Error>) -> u32 {
    match step {
        Ok(value) => {
            value.give();
            0
        }
        Err(e) => {
            give(&error_json(&e));
            1
        }
    }
}

/// A string argument (see the module's doc): none for a negative length, or for bytes that
/// are not UTF-8, which the wrapper's TextEncoder never writes.
fn arg(ptr: *mut u8, len: i32) -> Option<String> {
    let len = usize::try_from(len).ok()?;
    if len == 0 {
        return Some(String::new());
    }
    // SAFETY: `reserve(len)` made this block with the layout of `len` bytes, and the wrapper
    // hands each block over once.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    crate::core::encoding::utf8(&bytes)
}

fn text(ptr: *mut u8, len: i32) -> String {
    arg(ptr, len).unwrap_or_default()
}

/// An HTTP status from the wrapper; negative for none (no request was made).
fn status(value: i32) -> Option<u16> {
    u16::try_from(value).ok()
}

/// The status of a request that was made: 0 when it got no HTTP answer at all.
fn answered(value: i32) -> u16 {
    status(value).unwrap_or(0)
}

fn core<'a>(handle: Handle) -> &'a mut LatchCore {
    // SAFETY: the wrapper passes only handles `create` returned and `destroy` has not taken,
    // and no step runs inside another (the host functions never call back into the wasm).
    unsafe { &mut *handle }
}

/// `len` bytes for a string argument (see [`arg`]); the wrapper asks for none for an empty
/// string.
#[no_mangle]
pub extern "C" fn reserve(len: usize) -> *mut u8 {
    match Layout::from_size_align(len.max(1), 1) {
        // SAFETY: the layout's size is not zero.
        Ok(layout) => match unsafe { alloc(layout) } {
            ptr if ptr.is_null() => handle_alloc_error(layout),
            ptr => ptr,
        },
        Err(_) => ::core::ptr::null_mut(),
    }
}

#[no_mangle]
pub extern "C" fn supports(p: *mut u8, n: i32) -> u32 {
    reply(verdict(&text(p, n)))
}

/// `new LatchCore(clientId, domain, options)`: the handle, or 0 with the error.
#[no_mangle]
pub extern "C" fn create(
    client_p: *mut u8,
    client_n: i32,
    domain_p: *mut u8,
    domain_n: i32,
    options_p: *mut u8,
    options_n: i32,
) -> Handle {
    let options = arg(options_p, options_n);
    match LatchCore::new(
        &text(client_p, client_n),
        &text(domain_p, domain_n),
        options.as_deref(),
    ) {
        Ok(core) => Box::into_raw(Box::new(core)),
        Err(e) => {
            give(&error_json(&e));
            ::core::ptr::null_mut()
        }
    }
}

#[no_mangle]
pub extern "C" fn destroy(handle: Handle) {
    // SAFETY: as in `core`; the wrapper destroys a handle once, when its widget is collected.
    drop(unsafe { Box::from_raw(handle) })
}

#[no_mangle]
pub extern "C" fn set_language(
    handle: Handle,
    language_p: *mut u8,
    language_n: i32,
    http: i32,
    text_p: *mut u8,
    text_n: i32,
) -> u32 {
    let language = text(language_p, language_n);
    let body = text(text_p, text_n);
    reply(Ok(core(handle).set_language(
        &language,
        answered(http),
        body,
    )))
}

#[no_mangle]
pub extern "C" fn signed_in(handle: Handle) -> u32 {
    core(handle).signed_in().into()
}

#[no_mangle]
pub extern "C" fn configuration_url(handle: Handle) -> u32 {
    reply(Ok(core(handle).configuration_url()))
}

#[no_mangle]
pub extern "C" fn redirect_url(handle: Handle) -> u32 {
    reply(Ok(core(handle).redirect_url()))
}

#[no_mangle]
pub extern "C" fn uses_form_post(handle: Handle) -> u32 {
    core(handle).uses_form_post().into()
}

#[no_mangle]
pub extern "C" fn set_configuration(handle: Handle, http: i32, p: *mut u8, n: i32) -> u32 {
    reply(core(handle).set_configuration(status(http), text(p, n)))
}

#[no_mangle]
pub extern "C" fn unsupported(handle: Handle) -> u32 {
    reply(Ok(core(handle).unsupported()))
}

#[no_mangle]
pub extern "C" fn connection(handle: Handle, p: *mut u8, n: i32) -> u32 {
    reply(core(handle).connection(&text(p, n)))
}

#[no_mangle]
pub extern "C" fn for_email(handle: Handle, p: *mut u8, n: i32) -> u32 {
    reply(Ok(core(handle).for_email(&text(p, n))))
}

#[no_mangle]
pub extern "C" fn discovery_urls(handle: Handle, p: *mut u8, n: i32, logout: u32) -> u32 {
    reply(core(handle).discovery_urls(arg(p, n), logout != 0))
}

#[no_mangle]
pub extern "C" fn set_discovery(
    handle: Handle,
    url_p: *mut u8,
    url_n: i32,
    http: i32,
    text_p: *mut u8,
    text_n: i32,
) -> u32 {
    let url = text(url_p, url_n);
    let body = text(text_p, text_n);
    reply(core(handle).set_discovery(url, answered(http), body))
}

#[no_mangle]
pub extern "C" fn authorize(
    handle: Handle,
    connection_p: *mut u8,
    connection_n: i32,
    state_p: *mut u8,
    state_n: i32,
    hint_p: *mut u8,
    hint_n: i32,
) -> u32 {
    let connection = text(connection_p, connection_n);
    let app_state = arg(state_p, state_n);
    let hint = arg(hint_p, hint_n);
    reply(core(handle).authorize(&connection, app_state, hint))
}

#[no_mangle]
pub extern "C" fn resume(handle: Handle, p: *mut u8, n: i32) -> u32 {
    reply(core(handle).resume(arg(p, n)))
}

#[no_mangle]
pub extern "C" fn tokens(handle: Handle, http: i32, p: *mut u8, n: i32) -> u32 {
    reply(core(handle).tokens(answered(http), text(p, n)))
}

#[no_mangle]
pub extern "C" fn key(handle: Handle, http: i32, p: *mut u8, n: i32, refetched: u32) -> u32 {
    reply(core(handle).key(status(http), text(p, n), refetched != 0))
}

#[no_mangle]
pub extern "C" fn finish(handle: Handle, verified: u32) -> u32 {
    reply(core(handle).finish(verified != 0))
}

#[no_mangle]
pub extern "C" fn logout_url(handle: Handle, p: *mut u8, n: i32) -> u32 {
    reply(core(handle).logout_url(arg(p, n)))
}

#[no_mangle]
pub extern "C" fn frame(handle: Handle) -> u32 {
    reply(core(handle).frame())
}

#[no_mangle]
pub extern "C" fn buttons(handle: Handle) -> u32 {
    reply(Ok(core(handle).buttons()))
}
