// Settings > Reminders: turn reminders on (or off) on this phone. The browser asks the person,
// subscribes with its push service using the server's public VAPID key, and the subscription
// (its endpoint and keys) is posted to fitr with the page's CSRF token. Choosing what to be
// reminded of is a plain form and needs none of this.
(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");
  const state = document.getElementById("push-state");
  const addForm = document.querySelector("[data-push-add]");
  const removeForm = document.querySelector("[data-push-remove]");
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported) {
    state.textContent = "This browser cannot show reminders. On an iPhone, add fitr to your Home Screen first (Share, Add to Home Screen) and open it from there.";
    return;
  }

  const key = (text) => {
    const padded = (text + "=".repeat((4 - (text.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  // Fill the page's form (it carries the CSRF token) and post it.
  const post = async (form, fields) => {
    for (const [name, value] of Object.entries(fields)) form.elements[name].value = value;
    const body = new URLSearchParams(new FormData(form));
    const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || "fitr could not save this phone's reminders.");
    return answer.message;
  };
  const show = (subscribed) => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  };

  // This phone's subscription, when fitr keeps it for the person logged in (a shared phone may
  // hold another person's, turned off when they logged out).
  const hash = async (text) => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const mine = async (subscription) => Boolean(subscription) && box.dataset.mine.split(" ").includes(await hash(subscription.endpoint));

  navigator.serviceWorker.ready.then(async (registration) => {
    show(await mine(await registration.pushManager.getSubscription()));

    on.addEventListener("click", async () => {
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          state.textContent = "Notifications are blocked for fitr in this browser's settings: allow them, then try again.";
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: key(box.dataset.key),
        });
        const json = subscription.toJSON();
        state.textContent = await post(addForm, { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth });
        show(true);
      } catch (error) {
        state.textContent = error.message || "This browser could not turn reminders on.";
      }
    });

    off.addEventListener("click", async () => {
      try {
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          await post(removeForm, { endpoint: subscription.endpoint }).catch(() => {});
          await subscription.unsubscribe();
        }
        state.textContent = "Reminders are off for this phone.";
        show(false);
      } catch (error) {
        state.textContent = error.message || "This browser could not turn reminders off.";
      }
    });
  });
})();
