//! The `sourcecheck` binary: a thin shell around the library's command line.

// mimalloc: the pipeline builds many short-lived strings and vectors per article on every
// worker thread, and glibc malloc took about 15% of a corpus run (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the pinned libmimalloc-sys (the `mi_option_e` enum of its
/// bundled v3 header; the test below checks it against the default in its options.c).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Return freed memory after 100 ms: mimalloc's default (1000 ms) took a two-job corpus run
    // to 95 MB of peak RSS, while returning it at once (0 ms) kept it at 30 MB but cost about
    // 3% of a corpus run in page faults on memory freed and soon needed again. 100 ms gives
    // 30 MB (one job) and 48 MB (two jobs) on a 1 GB corpus. An explicit MIMALLOC_PURGE_DELAY
    // in the environment still wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mi_option_set stores an integer in mimalloc's option table; it runs before
        // any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
    }
    // No transparent huge pages: a worker's short-lived memory, purged at once, came back
    // as fresh 2 MiB pages the kernel had to clear (6% of a corpus run), and a one-job run
    // peaked at 42 MB of RSS instead of 17 MB. mimalloc's own switch (MIMALLOC_ALLOW_THP=0)
    // is read before main, so the process asks the kernel directly.
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag on this process; a failure
        // (an old kernel) leaves THP as it was, which is harmless.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
    std::process::exit(sourcecheck::cli::main());
}

#[cfg(test)]
mod tests {
    #[test]
    fn purge_delay_is_the_option_we_mean() {
        // the bundled mimalloc v3 sets a default purge delay of 1000 ms (src/options.c); a
        // wrong index would read another option
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            let v = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
            assert_eq!(v, 1000);
        }
    }
}
