/**
 * The quote-model port. A model turns the market and our position into a reservation price
 * (where we would be indifferent to trading), a half spread around it and the inventory skew.
 * Units: prices in quote currency, σ in price units per √second, position in coins.
 */

export type QuoteModelName = 'fixed' | 'avellaneda_stoikov' | 'glft';

export interface QuoteModelInputs {
  readonly mid: number;
  /** Volatility of the mid, price units per √second. */
  readonly sigma: number;
  /** Signed position in coins: long > 0. */
  readonly position: number;
  /** Price increment of the coin. */
  readonly tick: number;
  /** T − t, seconds, for a finite-horizon model; other models ignore it. */
  readonly timeRemainingSec?: number;
}

export interface QuoteModelOutput {
  readonly reservationPrice: number;
  /** Distance from the reservation price to the closest bid and to the closest ask. */
  readonly halfSpread: number;
  /** Reservation-price offset per coin of position: reservation = mid − skew·position. */
  readonly skew: number;
}

/** An output record a caller lends to a model to fill, so that a hot loop allocates none. */
export type QuoteModelOutputRecord = { -readonly [K in keyof QuoteModelOutput]: QuoteModelOutput[K] };

export interface QuoteModel {
  readonly name: QuoteModelName;
  /** Fills and returns `into` when given, else a new output. */
  quote(inputs: QuoteModelInputs, into?: QuoteModelOutputRecord): QuoteModelOutput;
}

/** Model parameters come validated from the config schema or CLI flags; this catches a caller that skipped that. */
export function requirePositive(values: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(value > 0)) throw new RangeError(`${name} must be > 0, got ${value}`);
  }
}

/** The half spread, in price units, of a total spread given in bps of the mid. */
export function halfSpreadOfBps(spreadBps: number, mid: number): number {
  return (spreadBps / 2) * (mid / 1e4);
}

/**
 * Assembles a model's output. The half spread is never below half a tick: that is the narrowest
 * spread the price grid can show, so reporting less would misstate what gets quoted.
 */
export function modelOutput(inputs: QuoteModelInputs, halfSpread: number, skew: number, into?: QuoteModelOutputRecord): QuoteModelOutput {
  const reservationPrice = inputs.mid - skew * inputs.position;
  const shownHalfSpread = Math.max(halfSpread, inputs.tick / 2);
  if (into === undefined) return { reservationPrice, halfSpread: shownHalfSpread, skew };
  into.reservationPrice = reservationPrice;
  into.halfSpread = shownHalfSpread;
  into.skew = skew;
  return into;
}
