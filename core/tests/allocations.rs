//! Exactly one heap allocation per token (the returned string), proved with a counting
//! allocator that counts per thread (the test harness's own threads allocate at will, and on a
//! loaded machine they did, in the middle of a count).
#![allow(unsafe_code, clippy::unwrap_used, missing_docs)]

use iamauth::{
    CacheService, Credentials, DsqlAction, DsqlTokenRequest, ElastiCacheTokenRequest,
    RdsTokenRequest, Signer,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Allocations made by this thread (a `const` thread-local: reading it never allocates).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: a thread being torn down may still allocate; it is not counted.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards to `System` unchanged; the counter has no effect on memory.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn one_allocation_per_token() {
    let long_token = "IQoJb3JpZ2luX2VjEXAMPLE/+=".repeat(30);
    let plain = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let session = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some(&long_token),
    )
    .unwrap();
    let rds = RdsTokenRequest::new(
        "mydb.123456789012.us-east-1.rds.amazonaws.com",
        5432,
        "iam user 🐘",
        "us-east-1",
        1_704_164_645,
    );
    let dsql = DsqlTokenRequest::new(
        "abc.dsql.us-east-1.on.aws",
        "us-east-1",
        DsqlAction::DbConnectAdmin,
        1_704_164_645,
    );
    let cache = ElastiCacheTokenRequest {
        serverless: true,
        service: CacheService::MemoryDb,
        ..ElastiCacheTokenRequest::new("my-cache", "user+1", "us-east-1", 1_704_164_645)
    };

    let signer = Signer::new();
    // Cold: the key is derived, and the cache entry lives inline (no allocation either); with a
    // session token, the cache also keeps it percent-encoded (one shared buffer: two allocations).
    for (creds, kept) in [(&plain, 0), (&session, 2)] {
        let (token, n) = allocations_during(|| signer.token(&rds, creds).unwrap());
        assert_eq!(n, 1 + kept, "cold RDS token: {n} allocations");
        assert_eq!(
            token.len(),
            token.capacity(),
            "allocated exactly, never grown"
        );
        let (_, n) = allocations_during(|| signer.token(&dsql, creds).unwrap());
        assert_eq!(n, 1 + kept, "cold DSQL token: {n} allocations");
        let (_, n) = allocations_during(|| signer.token(&cache, creds).unwrap());
        assert_eq!(n, 1 + kept, "cold cache token: {n} allocations");
        let (_, n) = allocations_during(|| iamauth::rds_token(&rds, creds).unwrap());
        assert!(n <= 1 + kept, "cold free function: {n} allocations");
    }
    for creds in [&plain, &session] {
        for _ in 0..3 {
            let (token, n) = allocations_during(|| signer.token(&rds, creds).unwrap());
            assert_eq!(n, 1, "warm RDS token: {n} allocations");
            assert_eq!(token.len(), token.capacity());
            let (_, n) = allocations_during(|| signer.token(&dsql, creds).unwrap());
            assert_eq!(n, 1, "DSQL token: {n} allocations");
            let (_, n) = allocations_during(|| signer.token(&cache, creds).unwrap());
            assert_eq!(n, 1, "cache token: {n} allocations");
            let (_, n) = allocations_during(|| iamauth::rds_token(&rds, creds).unwrap());
            assert_eq!(n, 1, "free function: {n} allocations");
        }
    }
    // Errors allocate nothing.
    let bad = RdsTokenRequest { port: 0, ..rds };
    let (_, n) = allocations_during(|| signer.token(&bad, &plain).unwrap_err());
    assert_eq!(n, 0, "an error allocates nothing");
}
