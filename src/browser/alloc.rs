//! The wasm's memory allocator: one free list per power-of-two block size, blocks carved
//! from pages the module grows itself. It replaces std's dlmalloc, about 8 KB of the
//! module (issue 7's size budget), for a widget that makes a few thousand small
//! allocations in its life. A freed block is reused by the next request of its size class;
//! memory is never handed back to the browser, which dlmalloc does not do either.
//!
//! wasm32-unknown-unknown without the `atomics` feature runs on one thread, so the heap
//! needs no lock.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

#[cfg(target_feature = "atomics")]
compile_error!("the allocator in browser/alloc.rs is single-threaded");

const PAGE: usize = 65_536;
/// The smallest block: 16 bytes, enough for any alignment Rust asks of the heap here.
const MIN_SHIFT: u32 = 4;
/// Size classes 16 B .. 1 GiB.
const CLASSES: usize = 27;

struct Heap {
    /// The first free block of each class, or 0; a free block holds the next one's address.
    free: [usize; CLASSES],
    /// Carving starts here and stops at `end`, the end of the pages grown so far.
    next: usize,
    end: usize,
}

pub struct Allocator(UnsafeCell<Heap>);

// SAFETY: single-threaded target (see the compile_error above).
unsafe impl Sync for Allocator {}

#[global_allocator]
static ALLOCATOR: Allocator = Allocator(UnsafeCell::new(Heap {
    free: [0; CLASSES],
    next: 0,
    end: 0,
}));

/// The class of a layout: blocks of `16 << class` bytes, at least as large as the size and
/// the alignment. None when it is too large to serve.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > PAGE {
        return None;
    }
    let size = layout
        .size()
        .max(layout.align())
        .checked_next_power_of_two()?;
    let class = size.max(1 << MIN_SHIFT).trailing_zeros() - MIN_SHIFT;
    Some(class as usize).filter(|c| *c < CLASSES)
}

impl Heap {
    /// A new block of `size` bytes (a power of two), aligned to its size up to a page,
    /// which covers the alignment of any layout of its class.
    fn carve(&mut self, size: usize) -> Option<usize> {
        if self.end == 0 {
            // Memory past the module's initial pages belongs to nobody yet.
            let pages = core::arch::wasm32::memory_size(0);
            self.end = pages.checked_mul(PAGE)?;
            self.next = self.end;
        }
        loop {
            let align = size.min(PAGE);
            let start = self.next.checked_add(align - 1)? & !(align - 1);
            let end = start.checked_add(size)?;
            if end <= self.end {
                self.next = end;
                return Some(start);
            }
            let pages = (end - self.end).div_ceil(PAGE);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return None;
            }
            let old_end = old.checked_mul(PAGE)?;
            if old_end != self.end {
                // Someone else grew the memory: carve from the new pages only.
                self.next = old_end;
            }
            self.end = old_end.checked_add(pages * PAGE)?;
        }
    }
}

unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(layout) else {
            return null_mut();
        };
        // SAFETY: one thread, and no call below re-enters the allocator.
        let heap = unsafe { &mut *self.0.get() };
        let head = heap.free[class];
        if head != 0 {
            // SAFETY: `head` is a free block of this class; its first word is the next one.
            heap.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        match heap.carve(1 << (class as u32 + MIN_SHIFT)) {
            Some(block) => block as *mut u8,
            None => null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class(layout) else {
            return;
        };
        // SAFETY: one thread; `ptr` came from `alloc` with this layout, so it is a block of
        // this class (at least 16 bytes, aligned) that nobody uses any more.
        unsafe {
            let heap = &mut *self.0.get();
            *(ptr as *mut usize) = heap.free[class];
            heap.free[class] = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return null_mut();
        };
        if class(new_layout).is_some() && class(new_layout) == class(layout) {
            // The block already has room.
            return ptr;
        }
        // SAFETY: the GlobalAlloc contract, as std's default realloc does it.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
