/** A clock tests set to exact instants; it follows real time until set (a service Clock). */
export class TestClock {
  private fixed: Date | undefined;

  now(): Date {
    return this.fixed ?? new Date();
  }

  set(at: Date | undefined): void {
    this.fixed = at;
  }
}
