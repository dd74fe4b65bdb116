import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { createApiClient } from './features/api-client/api-client';
import { ApiClientProvider } from './features/api-client/api-client-context';
import { SessionGate } from './features/auth/session-gate';
import './app/app.css';

// Same origin: the page's server proxies /api, so no CORS and no backend URL baked into the bundle.
const client = createApiClient({ baseUrl: '', fetch: window.fetch.bind(window) });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionGate>
      <ApiClientProvider client={client}>
        <App />
      </ApiClientProvider>
    </SessionGate>
  </StrictMode>,
);
