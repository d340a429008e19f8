//! The app's other tabs: a `BroadcastChannel` of the client's, carrying
//! [`crate::core::tabs::TabMessage`]s (what they mean is the core's; what a widget does on
//! hearing one is [`super::widget`]'s).

use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

use crate::core::tabs::{channel_name, TabMessage};

use super::cleanup::Listener;
use super::json;

pub struct Tabs {
    channel: BroadcastChannel,
    _on_message: Listener,
}

impl Tabs {
    /// Listens to the other tabs of `client_id`'s app; none where the browser has no
    /// BroadcastChannel (the widget then works alone, as before).
    pub fn open(client_id: &str, mut heard: impl FnMut(TabMessage) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(&channel_name(client_id)).ok()?;
        let on_message = Listener::new(&channel, "message", move |event| {
            let data = event.dyn_ref::<MessageEvent>().map(MessageEvent::data);
            if let Some(Ok(message)) = data.map(json::from_value::<TabMessage>) {
                heard(message);
            }
        });
        Some(Self {
            channel,
            _on_message: on_message,
        })
    }

    /// Tells the other tabs (never this one).
    pub fn tell(&self, message: &TabMessage) {
        let _ = self.channel.post_message(&json::to_value(message));
    }
}

impl Drop for Tabs {
    fn drop(&mut self) {
        self.channel.close();
    }
}
