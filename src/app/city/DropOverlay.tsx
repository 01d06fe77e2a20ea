export function DropOverlay() {
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div>
        Drop a GeoJSON file, a .zip city bundle
        <br />
        or all files of a bundle to open them
      </div>
    </div>
  );
}
