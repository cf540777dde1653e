//! State changes, pushed to an observer the shell registers (to update the
//! screen, show a notification, or open the SMS composer).
//!
//! Events raised before an observer is registered (for example a check-in
//! that fired while the engine opened) are kept, up to [`MAX_BUFFERED`], and
//! handed to the first observer. Observers are called outside any database
//! lock; a panicking observer is ignored.

use super::model::AlertReason;
use super::outbox::DeliveryStatus;
use chrono::{DateTime, Utc};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Events kept while no observer is registered.
pub const MAX_BUFFERED: usize = 256;

/// Something that changed.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertEvent {
    /// A countdown started; the alert fires at `fires_at` unless cancelled.
    CountdownStarted {
        /// The alert.
        alert_id: String,
        /// When it fires.
        fires_at: DateTime<Utc>,
    },
    /// A countdown was cancelled: nothing was or will be sent.
    CountdownCancelled {
        /// The alert.
        alert_id: String,
    },
    /// An alert fired: its deliveries are queued.
    Fired {
        /// The alert.
        alert_id: String,
        /// Why.
        reason: AlertReason,
        /// Whether the shell should stay invisible.
        silent: bool,
    },
    /// A delivery was queued, sent, delivered, failed (and will or will not be
    /// retried), needs the user, or was cancelled. See `delivery.state`.
    Delivery {
        /// The delivery's new status.
        delivery: DeliveryStatus,
    },
    /// "I'm safe": the alert is resolved.
    Resolved {
        /// The alert.
        alert_id: String,
    },
}

/// Receives [`AlertEvent`]s. Implemented by the shell through the FFI.
pub trait AlertObserver: Send + Sync {
    /// Called once per event, from the thread that caused it.
    fn on_event(&self, event: &AlertEvent);
}

/// Hands events to the registered observer, or buffers them.
#[derive(Default)]
pub(crate) struct Dispatcher {
    inner: Mutex<DispatcherState>,
}

#[derive(Default)]
struct DispatcherState {
    observer: Option<Arc<dyn AlertObserver>>,
    buffered: VecDeque<AlertEvent>,
}

impl Dispatcher {
    fn lock(&self) -> std::sync::MutexGuard<'_, DispatcherState> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers (or removes) the observer; buffered events go to a new one.
    pub fn set(&self, observer: Option<Arc<dyn AlertObserver>>) {
        let pending: Vec<AlertEvent> = {
            let mut state = self.lock();
            state.observer = observer.clone();
            if observer.is_some() {
                state.buffered.drain(..).collect()
            } else {
                Vec::new()
            }
        };
        if let Some(o) = observer {
            for event in &pending {
                call(o.as_ref(), event);
            }
        }
    }

    /// Emits events in order.
    pub fn emit(&self, events: Vec<AlertEvent>) {
        if events.is_empty() {
            return;
        }
        let observer = {
            let mut state = self.lock();
            match &state.observer {
                Some(o) => o.clone(),
                None => {
                    for e in events {
                        if state.buffered.len() >= MAX_BUFFERED {
                            state.buffered.pop_front();
                        }
                        state.buffered.push_back(e);
                    }
                    return;
                }
            }
        };
        for event in &events {
            call(observer.as_ref(), event);
        }
    }
}

fn call(observer: &dyn AlertObserver, event: &AlertEvent) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| observer.on_event(event)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<AlertEvent>>);
    impl AlertObserver for Recorder {
        fn on_event(&self, event: &AlertEvent) {
            self.0.lock().unwrap().push(event.clone());
        }
    }

    struct Panicker;
    impl AlertObserver for Panicker {
        fn on_event(&self, _: &AlertEvent) {
            panic!("observer bug");
        }
    }

    fn ev(i: usize) -> AlertEvent {
        AlertEvent::Resolved {
            alert_id: format!("{i}"),
        }
    }

    #[test]
    fn buffers_until_an_observer_arrives_then_delivers_in_order() {
        let d = Dispatcher::default();
        d.emit((0..MAX_BUFFERED + 5).map(ev).collect());
        let r = Arc::new(Recorder::default());
        d.set(Some(r.clone()));
        d.emit(vec![ev(9999)]);
        let got = r.0.lock().unwrap();
        assert_eq!(got.len(), MAX_BUFFERED + 1);
        assert_eq!(got[0], ev(5), "oldest dropped first");
        assert_eq!(got[MAX_BUFFERED], ev(9999));
    }

    #[test]
    fn a_panicking_observer_does_not_break_the_engine() {
        let d = Dispatcher::default();
        d.set(Some(Arc::new(Panicker)));
        d.emit(vec![ev(1), ev(2)]);
    }
}
