import type { Analysis } from '@posestack/api-contracts';
import { useCallback, useRef, useState } from 'react';
import { AnalysesList } from '../features/analyses-list/analyses-list';
import { AnalysisViewer } from '../features/analysis-viewer/analysis-viewer';
import { UploadPanel } from '../features/upload/upload-panel';
import { useSelectedAnalysisId } from './use-selected-analysis-id';

export function App() {
  const [selectedId, selectId] = useSelectedAnalysisId();
  const [listReloadKey, setListReloadKey] = useState(0);
  // The upload answer seeds the viewer, so a photo's result shows without a second request.
  const seeds = useRef(new Map<string, Analysis>());
  const reloadList = useCallback(() => setListReloadKey((n) => n + 1), []);

  function open(analysis: Analysis) {
    seeds.current.set(analysis.id, analysis);
    selectId(analysis.id);
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <h1>posestack</h1>
        <p>Find people and their poses in photos and videos.</p>
      </header>
      <main id="main" className="app-layout">
        <div className="app-layout__side">
          <UploadPanel
            onUploaded={(analysis) => {
              open(analysis);
              reloadList();
            }}
          />
          <AnalysesList
            selectedId={selectedId}
            reloadKey={listReloadKey}
            onOpen={open}
            onDeleted={(id) => {
              seeds.current.delete(id);
              if (id === selectedId) selectId(undefined);
            }}
          />
        </div>
        <div className="app-layout__main">
          {selectedId ? (
            <AnalysisViewer key={selectedId} id={selectedId} initial={seeds.current.get(selectedId)} onChanged={reloadList} />
          ) : (
            <section className="panel viewer viewer--empty" aria-label="Analysis">
              <p>Upload a photo or video, or open a past analysis, to see the detected poses here.</p>
            </section>
          )}
        </div>
      </main>
    </>
  );
}
