# frontdesk: build with the Rust toolchain, run on a slim Debian with just the binary.
# Templates, static assets, migrations and the seed office profile are compiled in.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin frontdesk

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/frontdesk --create-home frontdesk
COPY --from=build /src/target/release/frontdesk /usr/local/bin/frontdesk
USER frontdesk
WORKDIR /var/lib/frontdesk
ENV PORT=5000 \
    ROCKET_ADDRESS=0.0.0.0 \
    DATABASE_URL=sqlite:///var/lib/frontdesk/frontdesk.db \
    LOG_FORMAT=json
EXPOSE 5000
# SIGTERM lets in-flight webhooks finish (Rocket.toml: shutdown grace) before exiting.
STOPSIGNAL SIGTERM
CMD ["frontdesk"]
