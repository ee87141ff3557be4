export function InventoryPage() {
  return (
    <section aria-labelledby="inventory-title">
      <h2 id="inventory-title">Inventory</h2>
    </section>
  );
}
