// The shell of the UI: first-run gate, navigation, shortcuts, theme, and the current screen.
import { lazy, Suspense, useCallback, useState } from "react";
import { ErrorBanner } from "./components/ErrorBanner";
import { PlainButton } from "./components/PlainButton";
import { FirstRun } from "./features/firstrun/FirstRun";
import { useAppStatus, useStartUpHandshake } from "./features/firstrun/queries";
import { WORKLIST_SEARCH_ID, Worklist } from "./features/worklist/Worklist";
import { navigate, type Route, useRoute } from "./lib/route";
import { SHORTCUT_HELP, useShortcuts } from "./lib/shortcuts";
import { type ThemePreference, useTheme } from "./lib/theme";

// Screens not shown at start load on first use, so the idle worklist parses and keeps less code.
const Wizard = lazy(() => import("./features/wizard/Wizard").then((m) => ({ default: m.Wizard })));
const ReferralDetailScreen = lazy(() =>
  import("./features/referral/ReferralDetailScreen").then((m) => ({ default: m.ReferralDetailScreen })),
);
const AppointmentsScreen = lazy(() =>
  import("./features/appointments/AppointmentsScreen").then((m) => ({ default: m.AppointmentsScreen })),
);
const SettingsScreen = lazy(() =>
  import("./features/settings/SettingsScreen").then((m) => ({ default: m.SettingsScreen })),
);

const NEXT_THEME: Record<ThemePreference, ThemePreference> = { system: "light", light: "dark", dark: "system" };
const THEME_LABEL: Record<ThemePreference, string> = { system: "Auto theme", light: "Light theme", dark: "Dark theme" };

const NAV: { route: Route; label: string }[] = [
  { route: { screen: "worklist" }, label: "Worklist" },
  { route: { screen: "new" }, label: "New referral" },
  { route: { screen: "appointments" }, label: "Appointments" },
  { route: { screen: "settings" }, label: "Settings" },
];

export function App() {
  const status = useAppStatus();
  const route = useRoute();
  const [theme, setTheme] = useTheme();
  const [skipFirstRun, setSkipFirstRun] = useState(false);

  const focusSearch = useCallback(() => {
    navigate({ screen: "worklist" });
    window.setTimeout(() => document.getElementById(WORKLIST_SEARCH_ID)?.focus(), 0);
  }, []);
  const goNew = useCallback(() => navigate({ screen: "new" }), []);
  const goHome = useCallback(() => navigate({ screen: "worklist" }), []);
  // The wizard handles Esc itself (it may have a hold to release).
  useShortcuts({ onNew: goNew, onSearch: focusSearch, onBack: route.screen === "new" ? undefined : goHome });
  useStartUpHandshake(!status.isPending);

  if (status.isPending)
    return (
      <p className="loading" role="status">
        Starting Referral Desk…
      </p>
    );
  if (status.isError)
    return (
      <main className="page">
        <ErrorBanner error={status.error} />
      </main>
    );
  if (status.data.firstRun && !skipFirstRun) {
    return (
      <FirstRun
        onAddOrganisation={() => {
          setSkipFirstRun(true);
          navigate({ screen: "settings" });
        }}
      />
    );
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Referral Desk</span>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a
              key={n.label}
              href={n.route.screen === "worklist" ? "#/" : `#/${n.route.screen}`}
              aria-current={route.screen === n.route.screen ? "page" : undefined}
              data-testid={`nav-${n.route.screen}`}
            >
              {n.label}
            </a>
          ))}
        </nav>
        {status.data.sandboxRunning && (
          <span className="sandbox-tag" title="Sandbox organisations are running on this computer">
            Sandbox
          </span>
        )}
        <PlainButton
          className="theme-toggle"
          data-testid="theme-toggle"
          aria-label={`Theme: ${THEME_LABEL[theme]}. Change theme`}
          onPress={() => setTheme(NEXT_THEME[theme])}
        >
          {THEME_LABEL[theme]}
        </PlainButton>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {route.screen === "worklist" && <Worklist needsAttention={status.data.needsAttentionCount} />}
        <Suspense fallback={<p className="loading">Loading…</p>}>
          {route.screen === "new" && <Wizard />}
          {route.screen === "referral" && <ReferralDetailScreen id={route.id} />}
          {route.screen === "appointments" && <AppointmentsScreen />}
          {route.screen === "settings" && <SettingsScreen theme={theme} onTheme={setTheme} />}
        </Suspense>
      </main>
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: outside sectioning content a footer is the contentinfo landmark, which may be named */}
      <footer className="shortcuts" aria-label="Keyboard shortcuts">
        {SHORTCUT_HELP.map(([key, what]) => (
          <span key={key}>
            <kbd>{key}</kbd> {what}
          </span>
        ))}
      </footer>
    </div>
  );
}
