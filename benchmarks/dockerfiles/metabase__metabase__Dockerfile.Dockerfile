# source: metabase/metabase Dockerfile
# commit: 0024b89173d0c1f3ab97e447b04594db950defe8
# url: https://github.com/metabase/metabase/blob/0024b89173d0c1f3ab97e447b04594db950defe8/Dockerfile
# kept: ARG (before/between stages), FROM and COPY --from lines only, verbatim and in order; all other lines dropped
FROM metabase/ci:java-11-lein-2.9.6-clj-1.10.3.822-04-22-2021 as frontend
FROM metabase/ci:java-11-lein-2.9.6-clj-1.10.3.822-04-22-2021 as backend
FROM metabase/ci:java-11-lein-2.9.6-clj-1.10.3.822-04-22-2021 as drivers
COPY --from=backend /root/.m2/repository/. /root/.m2/repository/.
FROM metabase/ci:java-11-lein-2.9.6-clj-1.10.3.822-04-22-2021 as builder
COPY --from=frontend /root/.m2/repository/. /root/.m2/repository/.
COPY --from=frontend /app/source/. .
COPY --from=backend /root/.m2/repository/. /root/.m2/repository/.
COPY --from=backend /app/source/. .
COPY --from=drivers /root/.m2/repository/. /root/.m2/repository/.
COPY --from=drivers /app/source/. .
FROM adoptopenjdk/openjdk11:alpine-jre as runner
COPY --from=builder /app/source/target/uberjar/metabase.jar /app/
