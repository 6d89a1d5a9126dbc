//! The threads that run the server's searches, fed by one queue.
//!
//! ```text
//! handler (async worker) ──job──► queue ──► search thread: Archive::search … ──► oneshot ──► handler
//! ```
//!
//! Searches are CPU work of a millisecond or more, so they do not run on the async workers
//! (which keep reading, writing and timing requests meanwhile). They used to go to tokio's
//! blocking pool behind a semaphore of 2 × cores permits; under load every search then cost
//! two more thread wake-ups (a parked blocking thread woken for it, and the semaphore's next
//! waiter woken after it), and `cargo bench --bench serve` at 16 clients measured the HTTP
//! side at about 0.8 of the library's own throughput. Here a fixed set of threads takes jobs
//! from a queue: a thread that finishes a search takes the next one queued without sleeping,
//! and the queue is the wait line that the semaphore was.
//!
//! A job whose request is gone (the client left, or the time limit answered it) is skipped
//! when its turn comes. A search that panics answers 500 and leaves its thread running.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::error::ApiError;

type Job = Box<dyn FnOnce() + Send>;

/// A fixed number of threads running queued jobs; they end when the pool is dropped.
pub struct SearchPool {
    queue: mpsc::Sender<Job>,
}

impl SearchPool {
    /// Starts `threads` search threads (at least one).
    pub fn new(threads: usize) -> std::io::Result<SearchPool> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("fahras-search-{i}"))
                .spawn(move || loop {
                    // The lock is held only while waiting for the next job, not while running it.
                    let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match job {
                        Ok(job) => job(),
                        Err(mpsc::RecvError) => return,
                    }
                })?;
        }
        Ok(SearchPool { queue })
    }

    /// Runs `work` on a search thread, after the jobs queued before it.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            if done.is_closed() {
                return;
            }
            let _ = done.send(catch_unwind(AssertUnwindSafe(work)));
        });
        self.queue
            .send(job)
            .map_err(|_| ApiError::internal("the search threads have stopped"))?;
        match result.await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(ApiError::internal("the search panicked (a bug)")),
            Err(_) => Err(ApiError::internal("the search thread went away")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn runs_jobs_on_its_threads_and_survives_a_panic() {
        let pool = SearchPool::new(2).unwrap();
        runtime().block_on(async {
            let name = pool
                .run(|| Ok(std::thread::current().name().unwrap_or("").to_string()))
                .await
                .unwrap();
            assert!(name.starts_with("fahras-search-"), "ran on {name:?}");
            for _ in 0..2 {
                let failed = pool
                    .run(|| -> Result<(), ApiError> { panic!("boom") })
                    .await;
                assert_eq!(
                    failed.unwrap_err().status,
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                );
            }
            // The threads still take jobs after the panics.
            for i in 0..4 {
                assert_eq!(pool.run(move || Ok(i * 10)).await.unwrap(), i * 10);
            }
        });
    }

    #[test]
    fn skips_a_job_whose_request_is_gone() {
        let pool = Arc::new(SearchPool::new(1).unwrap());
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let ran = Arc::new(AtomicBool::new(false));
        runtime().block_on(async {
            // The only thread is held by a first job...
            let first = tokio::spawn({
                let pool = Arc::clone(&pool);
                async move {
                    pool.run(move || {
                        started_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                        Ok(())
                    })
                    .await
                }
            });
            tokio::task::yield_now().await;
            started_rx.recv().unwrap();
            // ... while a second is queued and given up (its future dropped, as the time
            // limit or a closed connection drops a handler's).
            let flag = Arc::clone(&ran);
            let second = pool.run(move || {
                flag.store(true, Ordering::SeqCst);
                Ok(())
            });
            let gave_up = tokio::time::timeout(std::time::Duration::from_millis(20), second).await;
            assert!(gave_up.is_err());
            release_tx.send(()).unwrap();
            first.await.unwrap().unwrap();
            // A third job runs after the second's turn, so by then it was skipped.
            pool.run(|| Ok(())).await.unwrap();
        });
        assert!(!ran.load(Ordering::SeqCst), "a job nobody waits for ran");
    }
}
