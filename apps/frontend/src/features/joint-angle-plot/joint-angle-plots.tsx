import { DEFAULT_ANGLE_MIN_SCORE, JOINT_ANGLES, type JointAngleName, type VideoFrame } from '@posestack/api-contracts';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useElementSize } from '../pose-overlay/use-element-size';
import { buildAngleSeries, formatAngleName, type TrackAngleSeries } from './angle-series';

const PLOT_HEIGHT = 220;
const FALLBACK_WIDTH = 600;
const CURSOR_COLOUR = '#ffbf47';

/** One hue per joint (Okabe-Ito, colour-blind safe); left solid, right dashed, so pairs read as pairs. */
const ANGLE_STYLES: Readonly<Record<JointAngleName, { stroke: string; dash?: number[] }>> = {
  left_knee: { stroke: '#0072B2' },
  right_knee: { stroke: '#0072B2', dash: [6, 4] },
  left_elbow: { stroke: '#D55E00' },
  right_elbow: { stroke: '#D55E00', dash: [6, 4] },
  left_hip: { stroke: '#009E73' },
  right_hip: { stroke: '#009E73', dash: [6, 4] },
};

export interface JointAnglePlotsProps {
  readonly frames: readonly VideoFrame[];
  /** The time of the video frame on screen, marked on every plot. */
  readonly currentTimeS: number | undefined;
}

/** Knee, elbow and hip angles over the video, one plot per tracked person. */
export function JointAnglePlots({ frames, currentTimeS }: JointAnglePlotsProps) {
  const series = useMemo(() => buildAngleSeries(frames, DEFAULT_ANGLE_MIN_SCORE), [frames]);
  return (
    <section className="panel-section joint-angles" aria-labelledby="joint-angles-heading" data-testid="joint-angles">
      <h3 id="joint-angles-heading">Joint angles</h3>
      {series.tracks.length === 0 ? (
        <p className="joint-angles__notice">No people were tracked in this video, so there are no angles to plot.</p>
      ) : (
        series.tracks.map((track) => <TrackAnglePlot key={track.id} timesS={series.timesS} track={track} currentTimeS={currentTimeS} />)
      )}
    </section>
  );
}

function TrackAnglePlot({ timesS, track, currentTimeS }: { timesS: readonly number[]; track: TrackAngleSeries; currentTimeS: number | undefined }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot>(undefined);
  // Read by the draw hook, so moving the marker is a redraw, not a new chart.
  const timeRef = useRef(currentTimeS);
  const { width } = useElementSize(containerRef);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const options: uPlot.Options = {
      width: container.clientWidth || FALLBACK_WIDTH,
      height: PLOT_HEIGHT,
      scales: { x: { time: false }, y: { range: [0, 180] } },
      axes: [
        { label: 'time (s)', stroke: 'currentColor' },
        { label: 'degrees', stroke: 'currentColor' },
      ],
      series: [
        { label: 'time (s)' },
        ...JOINT_ANGLES.map(({ name }) => ({ label: formatAngleName(name), width: 2, ...ANGLE_STYLES[name] })),
      ],
      hooks: { draw: [(plot: uPlot) => drawTimeMarker(plot, timeRef.current)] },
    };
    const data: uPlot.AlignedData = [[...timesS], ...JOINT_ANGLES.map(({ name }) => [...track.angles[name]])];
    const plot = new uPlot(options, data, container);
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = undefined;
    };
  }, [timesS, track]);

  useEffect(() => {
    if (width > 0) plotRef.current?.setSize({ width, height: PLOT_HEIGHT });
  }, [width]);

  useEffect(() => {
    timeRef.current = currentTimeS;
    plotRef.current?.redraw(false, false);
  }, [currentTimeS]);

  return (
    <figure className="joint-angle-plot" data-testid="joint-angle-plot" data-track-id={track.id}>
      <figcaption>
        <span className="swatch" style={{ background: track.colour }} aria-hidden="true" /> {track.label}: knees, elbows and hips in
        degrees (180 = straight), {track.isThreeD ? 'measured in 3D' : 'measured in the image plane (2D model)'}
      </figcaption>
      <div ref={containerRef} className="joint-angle-plot__chart" />
    </figure>
  );
}

function drawTimeMarker(plot: uPlot, timeS: number | undefined): void {
  if (timeS === undefined) return;
  const x = plot.valToPos(timeS, 'x', true);
  const { top, height } = plot.bbox;
  const context = plot.ctx;
  context.save();
  context.strokeStyle = CURSOR_COLOUR;
  context.lineWidth = 2 * uPlot.pxRatio;
  context.beginPath();
  context.moveTo(x, top);
  context.lineTo(x, top + height);
  context.stroke();
  context.restore();
}
