# Parley's standalone server as a container image: the distribution that Maven makes,
# run by its own bin/parley, as a user without privileges, history in a volume.
#
# Maven builds the distribution first; this file only packs it. From the repository's top:
#
#   mvn -B package -Dmaven.test.skip -pl standalone -am     # standalone/target/parley-VERSION.tar.gz
#   docker build -t parley .                                # or: podman build --format docker -t parley .
#   docker run -p 8080:8080 -v parley-data:/var/lib/parley parley
#
# (podman needs --format docker to keep the HEALTHCHECK: the OCI format has none.)
# docs/CONTAINER-IMAGE.md: the volume, the health check, settings, a cluster with compose.

# Any Java 17 (or later) runtime image on Debian or Ubuntu: the last stage needs bash (the
# health check), groupadd and useradd. The tests pass one they make from Debian's packages.
ARG BASE_IMAGE=eclipse-temurin:17-jre

# ADD unpacks the archive (parley-VERSION/ at its top); one version only, then named parley
FROM ${BASE_IMAGE} AS distribution
ADD standalone/target/parley-*.tar.gz /tmp/distribution/
RUN set -- /tmp/distribution/parley-*; \
    if [ "$#" -ne 1 ]; then echo "expected one distribution in standalone/target, found: $*" >&2; exit 1; fi; \
    mv "$1" /opt/parley

FROM ${BASE_IMAGE}
# a user without a login who owns nothing but the data folder (the installation stays root's, read-only to it)
RUN groupadd --gid 10001 parley \
 && useradd --uid 10001 --gid parley --home-dir /var/lib/parley --no-create-home \
        --shell /usr/sbin/nologin parley \
 && mkdir -p /var/lib/parley \
 && chown parley:parley /var/lib/parley \
 && chmod 0750 /var/lib/parley
COPY --from=distribution /opt/parley /opt/parley

# Every interface (the container's own), and the H2 database in the volume. Settings are
# PARLEY_* variables (docker run -e, compose's environment); these two win over a mounted
# conf/parley.env, as the environment always does (bin/parley).
ENV PARLEY_HOST=0.0.0.0 \
    PARLEY_DATA=/var/lib/parley
VOLUME /var/lib/parley
EXPOSE 8080
USER parley
WORKDIR /var/lib/parley

# Healthy when /health/ready answers 200: the store answers, in cluster mode Redis too, and the
# node is not draining. No curl or wget in a JRE image and a JVM per probe is too dear: bash
# speaks the HTTP itself over /dev/tcp (a TLS port needs another check: docs/CONTAINER-IMAGE.md).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PARLEY_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 4 version status reason <&3 && [ \"$status\" = 200 ]"]

# bin/parley execs java, so the JVM is the container's first process and gets the stop signal:
# SIGTERM drains (not ready, then PARLEY_SHUTDOWN_GRACE, 5 s, with connections open), closes
# every connection with 1001, stores what is queued and exits 143. Give it 30 s (docker stop -t 30;
# compose.yaml's stop_grace_period). The JVM flags are bin/parley's (-XX:+UseSerialGC -Xmn64m)
# unless JAVA_OPTS replaces them. Arguments go to bin/parley: "token --user NAME" prints a token.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/parley/bin/parley"]
