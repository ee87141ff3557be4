import { useEffect, useRef } from 'react';
import { api } from './api/client';
import { Header } from './components/Header';
import { Nav } from './components/Nav';
import { AlertsPage } from './pages/AlertsPage';
import { EditorPage } from './pages/EditorPage';
import { InventoryPage } from './pages/InventoryPage';
import { MonitorPage } from './pages/MonitorPage';
import { OverviewPage } from './pages/OverviewPage';
import { ReviewPage } from './pages/ReviewPage';
import { SettingsPage } from './pages/SettingsPage';
import { navigate, useRoute, type Route } from './router';
import { subscribeToEngine, useStore } from './store';
import { useTheme } from './theme';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'monitor':
      return <MonitorPage id={route.id} />;
    case 'edit':
      return <EditorPage id={route.id} />;
    case 'inventory':
      return <InventoryPage />;
    case 'alerts':
      return <AlertsPage />;
    case 'review':
      return <ReviewPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App() {
  const route = useRoute();
  const error = useStore((s) => s.error);
  useTheme();

  useEffect(() => {
    void useStore.getState().load();
    const stopEngine = subscribeToEngine();
    // The tray or a notification asks for a page (the desktop app only).
    const stopNavigate = api.on('navigate', (to) => navigate(to));
    return () => {
      stopEngine();
      stopNavigate();
    };
  }, []);

  // Moving to another page puts the keyboard and screen reader at its start (not on first load:
  // the skip link comes first there).
  const firstPage = useRef(true);
  useEffect(() => {
    if (firstPage.current) firstPage.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [route.page]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <Header />
      <div className="app-body">
        <Nav current={route.page} />
        <main id="main" tabIndex={-1}>
          {error && (
            <p role="alert" className="error-banner">
              {error}
            </p>
          )}
          <Page route={route} />
        </main>
      </div>
    </div>
  );
}
