export function SettingsPage() {
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
    </section>
  );
}
